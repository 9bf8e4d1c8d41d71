package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;

/**
 * Renders model values in Tradier's JSON field names, order and types: prices as numbers,
 * dates as {@code "YYYY-MM-DD"} strings, {@code trade_date}/{@code bid_date}/{@code ask_date} as
 * epoch milliseconds, {@code greeks.updated_at} as {@code "YYYY-MM-DD HH:MM:SS"} in UTC, as Tradier's
 * read. Greeks have 6 significant digits, IVs 6 decimals. Indexes carry Tradier's placeholders: no book
 * ({@code bid}/{@code ask} null, sizes 0, {@code bid_date}/{@code ask_date} 0), volume and average volume 0,
 * {@code week_52_high}/{@code week_52_low} 0.0. Outside market hours a contract that did not trade today has
 * {@code greeks: null}. Stateless.
 */
final class TradierJson {

  private static final DateTimeFormatter UPDATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(java.time.ZoneOffset.UTC);

  private TradierJson() {
  }

  static ObjectNode quote(StockQuote q) {
    Security s = q.security();
    ObjectNode n = Json.object();
    n.put("symbol", s.symbol());
    n.put("description", s.description());
    n.put("exch", s.exchange());
    n.put("type", s.type());
    n.put("last", q.last());
    n.put("change", q.change());
    n.put("volume", q.volume());
    n.put("open", q.open());
    n.put("high", q.high());
    n.put("low", q.low());
    n.put("close", q.close());
    n.put("bid", q.bid());
    n.put("ask", q.ask());
    n.put("change_percentage", q.changePercentage());
    n.put("average_volume", q.averageVolume());
    n.put("last_volume", q.lastVolume());
    n.put("trade_date", q.tradeDate());
    n.put("prevclose", q.prevclose());
    n.put("week_52_high", q.week52High());
    n.put("week_52_low", q.week52Low());
    n.put("bidsize", q.bidSize());
    n.put("bidexch", q.bidExchange());
    n.put("bid_date", q.quoteDate());
    n.put("asksize", q.askSize());
    n.put("askexch", q.askExchange());
    n.put("ask_date", q.quoteDate());
    n.put("root_symbols", String.join(",", s.roots()));
    if (s.index()) {
      // an index has no book and no volume; Tradier fills the fields with placeholders
      n.putNull("bid");
      n.putNull("ask");
      n.put("bidsize", 0);
      n.put("asksize", 0);
      n.putNull("bidexch");
      n.putNull("askexch");
      n.put("bid_date", 0);
      n.put("ask_date", 0);
      n.put("volume", 0);
      n.put("last_volume", 0);
      n.put("average_volume", 0);
      n.put("week_52_high", 0.0);
      n.put("week_52_low", 0.0);
    }
    return n;
  }

  static ObjectNode option(OptionQuote q, boolean greeks, boolean marketOpen) {
    ObjectNode n = Json.object();
    n.put("symbol", q.symbol());
    n.put("description", q.description());
    n.put("exch", "Z");
    n.put("type", "option");
    n.put("last", q.last());
    n.put("change", q.change());
    n.put("volume", q.volume());
    n.put("open", q.open());
    n.put("high", q.high());
    n.put("low", q.low());
    n.put("close", q.close());
    n.put("bid", q.bid());
    n.put("ask", q.ask());
    n.put("underlying", q.underlying());
    n.put("strike", q.occ().strike());
    n.put("change_percentage", q.changePercentage());
    n.put("average_volume", 0);
    n.put("last_volume", q.volume() > 0 ? 1 : 0);
    n.put("trade_date", q.tradeDate());
    n.put("prevclose", q.prevclose());
    n.put("week_52_high", 0.0);
    n.put("week_52_low", 0.0);
    n.put("bidsize", q.bidSize());
    n.put("bidexch", q.bidExchange());
    n.put("bid_date", q.quoteDate());
    n.put("asksize", q.askSize());
    n.put("askexch", q.askExchange());
    n.put("ask_date", q.quoteDate());
    n.put("open_interest", q.openInterest());
    n.put("contract_size", OptionQuoter.CONTRACT_SIZE);
    n.put("expiration_date", q.expiration().date().toString());
    n.put("expiration_type", q.expiration().type());
    n.put("option_type", q.occ().type().wire());
    n.put("root_symbol", q.occ().root());
    if (greeks && !marketOpen && q.volume() == 0) {
      n.putNull("greeks"); // outside hours, Tradier has no greeks for contracts that did not trade
    } else if (greeks) {
      Greeks g = q.greeks();
      ObjectNode gn = n.putObject("greeks");
      gn.put("delta", Money.significant(g.delta(), 6));
      gn.put("gamma", Money.significant(g.gamma(), 6));
      gn.put("theta", Money.significant(g.theta(), 6));
      gn.put("vega", Money.significant(g.vega(), 6));
      gn.put("rho", Money.significant(g.rho(), 6));
      gn.put("phi", Money.significant(g.phi(), 6));
      gn.put("bid_iv", Money.round(q.bidIv(), 6));
      gn.put("mid_iv", Money.round(q.midIv(), 6));
      gn.put("ask_iv", Money.round(q.askIv(), 6));
      gn.put("smv_vol", Money.round(q.smvVol(), 6));
      gn.put("updated_at", UPDATED_AT.format(q.updatedAt()));
    }
    return n;
  }

  static ObjectNode bar(Bar b, boolean index) {
    ObjectNode n = Json.object();
    n.put("date", b.date().toString());
    n.put("open", b.open());
    n.put("high", b.high());
    n.put("low", b.low());
    n.put("close", b.close());
    n.put("volume", index ? 0 : b.volume());
    return n;
  }

  static ObjectNode security(Security s) {
    ObjectNode n = Json.object();
    n.put("symbol", s.symbol());
    n.put("exchange", s.exchange());
    n.put("type", s.type());
    n.put("description", s.description());
    return n;
  }
}
