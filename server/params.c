#include "params.h"

#include "civil.h"

#include "hotspot.h"
#include "print.h"
#include "trends.h"

const struct param param_grid_cell = {
    "cell",
    "cell",
    OPT_DOUBLE,
    1,
    100000,
    0,
    "METRES",
    "a cell size in metres",
    "cell size (1/50 of the district's shorter side, in whole 100 m)"};
const struct param param_grid_band = {
    "band",
    "band",
    OPT_DOUBLE,
    1,
    1e7,
    0,
    "METRES",
    "a distance band in metres",
    "distance band (the first peak of Moran's I over 1..10 cells, else cell x 1.414)"};
const struct param param_trends_weeks = {
    "weeks",
    "weeks",
    OPT_LONG,
    TRENDS_MIN_WEEKS,
    TRENDS_MAX_WEEKS,
    0,
    "N",
    "a number of weeks",
    "weeks ending at --to or the latest offence (12; or the whole weeks from --from)"};
const struct param param_trends_alpha = {
    "alpha",
    "alpha",
    OPT_DOUBLE,
    1e-9,
    0.5,
    0,
    "P",
    "a significance level",
    "significance of a hot or cold week and of a trend (0.01, as sfdep)"};
const struct param param_hotspot_share = {"share",
                                          "share",
                                          OPT_DOUBLE,
                                          0.0001,
                                          1,
                                          HOTSPOT_DEFAULT_SHARE,
                                          "S",
                                          "a share of the district's area",
                                          "share of the district's area (0.03)"};
const struct param param_hotspot_cell = {"cell",
                                         "cell",
                                         OPT_DOUBLE,
                                         1,
                                         1000,
                                         HOTSPOT_DEFAULT_CELL,
                                         "METRES",
                                         "a cell size in metres",
                                         "grid cell size (25)"};
const struct param param_bandwidth = {"bandwidth",
                                      "bandwidth",
                                      OPT_DOUBLE,
                                      10,
                                      20000,
                                      0,
                                      "METRES",
                                      "a number of metres",
                                      "heatmap bandwidth (style default)"};
const struct param param_dosage_target = {"target",
                                          "target",
                                          OPT_DOUBLE,
                                          0.1,
                                          600,
                                          0,
                                          "MINUTES",
                                          "a number of minutes",
                                          "length of a full visit (15)"};
const struct param param_dosage_visits = {"visits",
                                          "visits",
                                          OPT_LONG,
                                          1,
                                          100,
                                          0,
                                          "N",
                                          "a number of visits",
                                          "full visits per hotspot and shift (1)"};
/* The core checks the weeks and folds and names their bounds; these only
 * keep the numbers ints. */
const struct param param_backtest_train = {
    "train_weeks",       "train-weeks",        OPT_LONG, -1e6, 1e6, 8, "N",
    "a number of weeks", "training period (8)"};
const struct param param_backtest_test = {
    "test_weeks", "test-weeks",        OPT_LONG,         -1e6, 1e6, 1,
    "N",          "a number of weeks", "test period (1)"};
const struct param param_backtest_step = {
    "step_weeks", "step-weeks",        OPT_LONG,           -1e6, 1e6, 1,
    "N",          "a number of weeks", "between folds (1)"};
const struct param param_backtest_folds = {
    "folds", "folds", OPT_LONG, -1e6, 1e6, 44, "N", "a number of folds", "number of folds (44)"};
const struct param param_print_scale = {"scale",
                                        "scale",
                                        OPT_DOUBLE,
                                        PRINT_MIN_SCALE,
                                        PRINT_MAX_SCALE,
                                        0,
                                        "N",
                                        "a number of the scale's denominator",
                                        "print at 1:N (default: the round scale that fits)"};
const struct param param_print_dpi = {"dpi",
                                      "dpi",
                                      OPT_DOUBLE,
                                      PRINT_MIN_DPI,
                                      PRINT_MAX_DPI,
                                      0,
                                      "N",
                                      "a number of dots per inch",
                                      "raster resolution (PDF heatmap 200, PNG 150)"};
const struct param param_print_hotspots = {"hotspots",
                                           "hotspots",
                                           OPT_LONG,
                                           0,
                                           20,
                                           5,
                                           "N",
                                           "a number of hotspots",
                                           "hotspots numbered on the map (5; 0 for none)"};
const struct param param_print_visit = {"visit",
                                        "visit",
                                        OPT_DOUBLE,
                                        PRINT_MIN_VISIT,
                                        PRINT_MAX_VISIT,
                                        15,
                                        "MINUTES",
                                        "a number of minutes",
                                        "roster: minutes of a visit (15)"};
const struct param param_print_every = {"every",
                                        "every",
                                        OPT_DOUBLE,
                                        PRINT_MIN_EVERY,
                                        PRINT_MAX_EVERY,
                                        120,
                                        "MINUTES",
                                        "a number of minutes",
                                        "roster: minutes between visits (120)"};

const struct param param_label_scale = {"labelscale",
                                        "label-scale",
                                        OPT_DOUBLE,
                                        0.5,
                                        4,
                                        1,
                                        "FACTOR",
                                        "a factor",
                                        "size of the base layer's names (1; the wall 1.6)"};
const struct param param_plan_visit = {"visit",
                                       "visit",
                                       OPT_DOUBLE,
                                       1,
                                       CIVIL_MINUTES_PER_DAY,
                                       15,
                                       "MINUTES",
                                       "a number of minutes",
                                       "minutes a visit to a cell lasts (15)"};
const struct param param_plan_every = {"every",
                                       "every",
                                       OPT_DOUBLE,
                                       1,
                                       CIVIL_MINUTES_PER_DAY,
                                       120,
                                       "MINUTES",
                                       "a number of minutes",
                                       "minutes between visits to a cell (120)"};
const struct param param_plan_speed = {"speed",
                                       "speed",
                                       OPT_DOUBLE,
                                       0,
                                       200,
                                       5,
                                       "KMH",
                                       "a speed in km/h",
                                       "walking speed between cells; 0 ignores travel (5)"};
const struct param param_plan_cell = {"cell",
                                      "cell",
                                      OPT_DOUBLE,
                                      25,
                                      2000,
                                      200,
                                      "METRES",
                                      "a number of metres",
                                      "forecast grid cell (200)"};

const struct param param_evaluate_weeks = {"weeks",
                                           "weeks",
                                           OPT_LONG,
                                           1,
                                           52,
                                           8,
                                           "N",
                                           "a number of weeks",
                                           "weeks before the day, and as many from it (8)"};

const struct param param_evaluate_radius = {"radius",
                                            "radius",
                                            OPT_DOUBLE,
                                            25,
                                            5000,
                                            300,
                                            "METRES",
                                            "a number of metres",
                                            "the area around a point (300)"};

const struct param *const params_all[] = {&param_grid_cell,       &param_grid_band,
                                          &param_trends_weeks,    &param_trends_alpha,
                                          &param_hotspot_share,   &param_hotspot_cell,
                                          &param_bandwidth,       &param_dosage_target,
                                          &param_dosage_visits,   &param_backtest_train,
                                          &param_backtest_test,   &param_backtest_step,
                                          &param_backtest_folds,  &param_print_scale,
                                          &param_print_dpi,       &param_print_hotspots,
                                          &param_print_visit,     &param_print_every,
                                          &param_label_scale,     &param_plan_visit,
                                          &param_plan_every,      &param_plan_speed,
                                          &param_plan_cell,       &param_evaluate_weeks,
                                          &param_evaluate_radius, NULL};
