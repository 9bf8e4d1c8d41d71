package dev.optionchain.marketsim.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** History bar intervals. A weekly or monthly bar is dated by its first trading day in range. */
enum Interval {
  DAILY,
  WEEKLY,
  MONTHLY;

  /** The start of the period containing {@code date}; bars with the same period key are merged. */
  LocalDate period(LocalDate date) {
    return switch (this) {
      case DAILY -> date;
      case WEEKLY -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHLY -> date.withDayOfMonth(1);
    };
  }
}
