package dev.optionchain.marketsim.internal;

import java.math.BigDecimal;
import java.math.MathContext;

/** Rounding helpers. Stateless. */
final class Money {

  private Money() {
  }

  static double cents(double dollars) {
    return Math.round(dollars * 100.0) / 100.0;
  }

  static long toCents(double dollars) {
    return Math.round(dollars * 100.0);
  }

  static double round(double value, int decimals) {
    if (!Double.isFinite(value)) {
      return value;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** {@code value} rounded to {@code digits} significant digits. */
  static double significant(double value, int digits) {
    if (value == 0 || !Double.isFinite(value)) {
      return value;
    }
    return new BigDecimal(value).round(new MathContext(digits)).doubleValue();
  }
}
