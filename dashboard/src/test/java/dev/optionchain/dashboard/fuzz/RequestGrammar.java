package dev.optionchain.dashboard.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small grammar of HTTP requests to the dashboard: mostly well-formed requests to its real routes, mutated at
 * every level (method, path and path parameters, query names and values, version, headers, body) with the values
 * that broke it or are known to break servers: bad and overlong percent-escapes, NUL and raw non-ASCII bytes,
 * out-of-range dates, characters {@link java.net.URI} rejects, over-long lines, too many headers, broken chunked
 * bodies, foreign origins and hosts. Seeded: the same seed gives the same request.
 *
 * <p>Fault bodies only ever name the simulator's {@code lookup} endpoint (or none that exists), which the dashboard
 * does not call, so a fuzz run never slows itself down with injected latency.
 */
final class RequestGrammar {

  private static final String[] ROUTES = {
      "/api/quote/{s}", "/api/info/{s}", "/api/history/{s}", "/api/options/{s}", "/api/options/{s}/expirations",
      "/api/dashboard/{s}", "/api/health/circuit-breakers", "/api/health/transitions", "/api/health/sla",
      "/api/events", "/api/admin/circuit-breakers/{b}/reset", "/api/admin/circuit-breakers/reset",
      "/api/admin/circuit-breakers/{b}/open", "/api/sim/faults", "/api/sim/faults/{e}", "/api/sim/stats",
      "/api/sim/universe", "/health/live", "/health/ready", "/metrics", "/", "/index.html", "/app.js", "/app.css",
      "/js/api.js", "/favicon.svg", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/api/nothing", "/nothing",
      "/api", "/api/", "/API/quote/AAPL", "/api//quote/AAPL", "/api/quote/", "/.env", "/webjars/../index.html"};

  private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "GET", "HEAD", "POST", "POST", "PUT",
      "DELETE", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get", "Get", "FOO", "G@T", "M-SEARCH"};

  private static final String[] BAD_VERSIONS = {"HTTP/2.0", "HTTP/1.2", "HTTP/9.9", "HTTPS/1.1", "http/1.1", "",
      "HTTP/1.1 extra"};

  private static final String[] GOOD_SYMBOLS = {"AAPL", "MSFT", "SPY", "aapl", "NOPEQ"};

  private static final String[] SYMBOLS = {"AAPL", "AAPL", "MSFT", "msft", "SPY", "BRK.B", "NOPEQ", "A-B", "",
      "%u0041", "%ZZ", "%", "%0", "%00", "%E9", "%C3%A9", "%F0%9F%92%A5", "..%2F..%2Fetc", "%2F", "A%20B", "\u00e9",
      "\u00c3\u00a9", "*", "%3Cscript%3E", "'%20OR%201=1--", "TOOLONGSYMBOL1", "%25", "%2e%2e", ";x", "A;B",
      "AAPL%0D%0AX:1", "%FF%FE", "%C0%AF", "\u0001", "a.b.c"};

  private static final String[] BREAKERS = {"options_chain", "current_price", "nope", "", "%ZZ", "OPTIONS_CHAIN",
      "%00", "\u00e9"};

  private static final String[] ENDPOINTS = {"lookup", "nope", "", "%ZZ", "%2A", "%00", "a%20b", "\u00ff"};

  private static final String[] PARAM_NAMES = {"interval", "start", "end", "expiration", "limit", "window", "x",
      "symbol", "", "%ZZ", "a[]", "%00", "lim%69t", "\u00e9", "limit", "start", "end"};

  private static final String[] VALUES = {"daily", "weekly", "monthly", "hourly", "2024-01-02", "2025-06-30",
      "2030-01-18", "2024-02-30", "1899-12-31", "2200-01-01", "-999999999-01-01", "%2B999999999-12-31",
      "+999999999-12-31", "99999999999", "-1", "0", "1", "10", "1000", "1001", "24h", "30m", "7d", "0m", "91d",
      "9999d", "", "{", "}", "|", "\"", "^", "<", ">", "\\", "`", "%ZZ", "%", "%00", "%C3%A9", "\u00e9", "a+b",
      "=", "&", "%26", "null", "true", "1e9", "0x10", "%2010", "%20", "\u0000", "%0A", "'%20OR%20'1'='1"};

  private static final String[] ACCEPTS = {"application/json", "*/*", "text/html", "", "application/xml",
      "text/event-stream;q=0", "image/*, */*;q=0.1", "\u00e9"};

  private static final String[] CONTENT_TYPES = {"application/json", "application/json", "text/plain",
      "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/json; charset=latin1",
      "garbage"};

  private static final String[] ORIGINS = {"http://localhost:{port}", "http://127.0.0.1:{port}", "http://evil.example",
      "null", "", "http://localhost:{port}.evil.example"};

  private static final String[] FETCH_SITES = {"same-origin", "same-site", "cross-site", "none", "garbage"};

  private static final String[] AUTHORIZATIONS = {"Bearer wrong", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz",
      "garbage", "Bearer \u00e9"};

  private static final String[] BODIES = {"{}", "[]", "null", "{", "\"x\"",
      "{\"endpoint\":\"lookup\",\"mode\":\"outage\"}",
      "{\"endpoint\":\"lookup\",\"mode\":\"latency\",\"latencyMs\":1,\"durationSeconds\":1}",
      "{\"endpoint\":\"lookup\",\"mode\":\"sideways\"}", "{\"endpoint\":\"nope\",\"mode\":\"outage\"}",
      "{\"endpoint\":\"lookup\",\"mode\":\"error_rate\",\"rate\":7}", "{\"endpoint\":[1,2],\"mode\":{}}",
      "a=1&b=2", "\u0000\u0001\u00ff"};

  private final int port;

  RequestGrammar(int port) {
    this.port = port;
  }

  /**
   * Generates one request.
   *
   * @param r the random source; the same state gives the same request
   * @return the request
   */
  FuzzRequest generate(SplittableRandom r) {
    String method = r.nextInt(10) < 6 ? "GET" : pick(r, METHODS);
    String path = pick(r, ROUTES)
        .replace("{s}", r.nextBoolean() ? pick(r, GOOD_SYMBOLS) : r.nextInt(20) == 0 ? longToken(r) : pick(r, SYMBOLS))
        .replace("{b}", pick(r, BREAKERS))
        .replace("{e}", pick(r, ENDPOINTS));
    if (r.nextInt(12) == 0) {
      path = mutatePath(r, path);
    }
    List<String> query = new ArrayList<>();
    for (int i = r.nextInt(10) < 6 ? 0 : 1 + r.nextInt(4); i > 0; i--) {
      String name = pick(r, PARAM_NAMES);
      query.add(r.nextInt(15) == 0 ? name : name + "=" + (r.nextInt(25) == 0 ? longToken(r) : pick(r, VALUES)));
    }
    int v = r.nextInt(40);
    String version = v < 36 ? "HTTP/1.1" : v < 38 ? "HTTP/1.0" : pick(r, BAD_VERSIONS);
    List<String> headers = new ArrayList<>();
    if (r.nextInt(25) != 0) {
      headers.add("Host: " + (r.nextInt(15) == 0 ? pick(r, new String[] {"evil.example", "", "localhost:1",
          "[::1]:" + port, "127.0.0.1:" + port, longToken(r)}) : "localhost:" + port));
    }
    if (r.nextInt(30) == 0) {
      headers.add("Host: other.example");
    }
    headers.add("Connection: close");
    if (r.nextBoolean()) {
      String accept = pick(r, ACCEPTS);
      headers.add("Accept: " + accept);
    }
    byte[] body = new byte[0];
    boolean writes = !method.equals("GET") && !method.equals("HEAD");
    if (writes || r.nextInt(10) == 0) {
      if (r.nextInt(5) != 0) {
        headers.add("Content-Type: " + pick(r, CONTENT_TYPES));
      }
      if (r.nextInt(4) != 0) {
        headers.add("Origin: " + pick(r, ORIGINS).replace("{port}", Integer.toString(port)));
      }
      if (r.nextInt(3) == 0) {
        headers.add("Sec-Fetch-Site: " + pick(r, FETCH_SITES));
      }
      body = body(r, headers);
    }
    if (r.nextInt(6) == 0) {
      headers.add("Authorization: " + pick(r, AUTHORIZATIONS));
    }
    int extra = r.nextInt(20) == 0 ? 90 + r.nextInt(40) : r.nextBoolean() ? 0 : 1 + r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      headers.add(randomHeader(r));
    }
    if (r.nextInt(40) == 0) {
      headers.add("X-Long: " + "v".repeat(6000 + r.nextInt(4000)));
    }
    if (r.nextInt(8) == 0) {
      shuffle(r, headers);
    }
    return new FuzzRequest(method, path, query, version, headers, body);
  }

  private static byte[] body(SplittableRandom r, List<String> headers) {
    String text = r.nextInt(15) == 0 ? longToken(r) : pick(r, BODIES);
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    switch (r.nextInt(8)) {
      case 0: // chunked, valid
        headers.add("Transfer-Encoding: chunked");
        return (Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
      case 1: // chunked, broken
        headers.add("Transfer-Encoding: chunked");
        return pick(r, new String[] {"ZZ\r\n", "5\r\nab\r\n0\r\n\r\n", "-1\r\n\r\n", "ffffffffff\r\nx\r\n"})
            .getBytes(StandardCharsets.ISO_8859_1);
      case 2: // no length at all
        return bytes;
      case 3: // a length shorter than the body: the rest is a garbage second request
        headers.add("Content-Length: " + Math.max(0, bytes.length - 1));
        return bytes;
      case 4: // a length that is not a number, or two
        headers.add("Content-Length: " + pick(r, new String[] {"x", "-1", "1, 2", "99999999999999999999"}));
        return bytes;
      default:
        headers.add("Content-Length: " + bytes.length);
        return bytes;
    }
  }

  private static String randomHeader(SplittableRandom r) {
    if (r.nextInt(6) != 0) {
      return "X-H" + r.nextInt(1000) + ": " + longTokenOf(r, r.nextInt(40));
    }
    switch (r.nextInt(12)) {
      case 0:
        return "X Bad Name: v";
      case 1:
        return "X-Nul: a\u0000b";
      case 2:
        return " folded continuation";
      case 3:
        return "X-Latin: caf\u00e9";
      case 4:
        return "Expect: 100-continue";
      case 5:
        return "Range: bytes=0-10";
      case 6:
        return "If-None-Match: *";
      case 7:
        return "Cookie: a=b; c";
      case 8:
        return "Last-Event-ID: " + r.nextInt();
      case 9:
        return "NoColon";
      case 10:
        return "X-HTTP-Method-Override: " + pick(r, METHODS);
      default:
        return "X-H" + r.nextInt(1000) + ": " + longTokenOf(r, r.nextInt(40));
    }
  }

  private static String mutatePath(SplittableRandom r, String path) {
    switch (r.nextInt(8)) {
      case 0:
        return path + "/";
      case 1:
        return path.replaceFirst("/", "//");
      case 2:
        return path + "/./x/..";
      case 3:
        return path + ";jsessionid=1";
      case 4:
        return path + "#frag";
      case 5:
        return "http://localhost" + path;
      case 6:
        return path.replace("/", "%2F");
      default:
        return path + "/" + "x".repeat(9000);
    }
  }

  private static String longToken(SplittableRandom r) {
    return longTokenOf(r, 200 + r.nextInt(3000));
  }

  private static String longTokenOf(SplittableRandom r, int length) {
    StringBuilder b = new StringBuilder(length);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    for (int i = 0; i < length; i++) {
      b.append(r.nextInt(500) == 0 ? '%' : alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String pick(SplittableRandom r, String[] options) {
    return options[r.nextInt(options.length)];
  }

  private static void shuffle(SplittableRandom r, List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
