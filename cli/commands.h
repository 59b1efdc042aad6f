/*
 * commands: the subcommands of the posbon binary. Each takes the words after
 * its name and returns 0 or a negative ERR_* code with err_msg() set; main()
 * prints the message. `posbon COMMAND --help` prints the command's options.
 */
#ifndef POSBON_COMMANDS_H
#define POSBON_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_export_density(int argc, char **argv);
int cmd_export_tiles(int argc, char **argv);
int cmd_print(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_webhook(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_hotspots(int argc, char **argv);
int cmd_dosage(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_gistar(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_trends(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_standing(int argc, char **argv);

#endif
