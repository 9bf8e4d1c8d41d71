package dev.optionchain.dashboard.model;

/**
 * The greeks and implied volatilities of one option, as Tradier reports them (ORATS); any may be null.
 *
 * @param delta delta
 * @param gamma gamma
 * @param theta theta per day
 * @param vega vega per volatility point
 * @param rho rho
 * @param phi phi
 * @param bidIv implied volatility of the bid
 * @param midIv implied volatility of the mid
 * @param askIv implied volatility of the ask
 * @param smvVol smoothed-market-value volatility
 * @param updatedAt when the upstream computed them, as it wrote it
 */
public record Greeks(
    Double delta, Double gamma, Double theta, Double vega, Double rho, Double phi,
    Double bidIv, Double midIv, Double askIv, Double smvVol, String updatedAt) {}
