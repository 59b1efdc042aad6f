/*
 * civil: the proleptic Gregorian calendar as days counted from 1970-01-01,
 * and the lengths of a day. The one place for date arithmetic: parsing
 * (timeparse), the sample's calendar and the zones' validity dates use it.
 *
 * Pure functions of their arguments; any thread.
 */
#ifndef POSBON_CIVIL_H
#define POSBON_CIVIL_H

#include <stdint.h>

#define CIVIL_SECONDS_PER_DAY 86400
#define CIVIL_MINUTES_PER_DAY 1440
#define CIVIL_ALL_HOURS       0xFFFFFFu /* hours of the day as a mask: bit h = hour h */
#define CIVIL_ALL_WEEKDAYS    0x7Fu     /* weekdays as a mask: bit 0 = Monday */

/* Whether year y has a 29 February. */
int civil_leap(int64_t y);

/* Days of month m (1-12) of year y. */
int civil_days_in_month(int64_t y, int m);

/* Days since 1970-01-01 of y-m-d (m 1-12, d 1-31; negative before 1970). */
int64_t civil_days_from_date(int64_t y, int m, int d);

/* The date of day (days since 1970-01-01): the inverse of the above. */
void civil_date_from_days(int64_t day, int64_t *y, int *m, int *d);

#endif
