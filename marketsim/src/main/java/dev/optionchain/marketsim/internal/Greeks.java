package dev.optionchain.marketsim.internal;

/**
 * Black-Scholes-Merton sensitivities in the units Tradier reports: {@code delta} per $1 of the
 * underlying, {@code gamma} per $1, {@code theta} per calendar day, {@code vega} per one volatility
 * point (0.01), {@code rho} per one percentage point of the rate, {@code phi} per one percentage
 * point of the dividend yield.
 */
record Greeks(double delta, double gamma, double theta, double vega, double rho, double phi) {
}
