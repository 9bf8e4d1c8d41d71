package dev.optionchain.dashboard.web;

import dev.optionchain.dashboard.market.InvalidRequestException;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks, before any route sees a request, that its path and query are well-formed percent-encoded UTF-8 without
 * control characters, so that no decoder further in (Javalin's path parameters, the query parser, the simulator
 * relay) can fail on them: {@code %u0041}, {@code %ZZ}, a lone {@code %}, {@code %E9} (not UTF-8) and {@code %00}
 * are 400s with the API's JSON error body. (Jetty itself answers a request line with raw control or non-ASCII
 * bytes, before this runs; see {@link JsonErrorHandler}.)
 *
 * <p>A request with {@value #METHOD_OVERRIDE} is a 400 as well: Javalin would route it by that header's method while
 * Jetty, the probes and the metrics see the method on the request line, so one request would be two. The page never
 * sends it; a client sends the method itself. Stateless.
 */
final class WellFormed {

  /** The header Javalin's {@code Context.method()} would take the method from instead of the request line. */
  static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

  private WellFormed() {}

  /**
   * Runs before every route.
   *
   * @param ctx the request
   * @throws InvalidRequestException naming what is malformed
   */
  static void check(Context ctx) {
    if (ctx.req().getHeader(METHOD_OVERRIDE) != null) {
      throw new InvalidRequestException(METHOD_OVERRIDE + " is not supported: send the method itself, e.g. "
          + "DELETE /api/sim/faults");
    }
    check("path", ctx.req().getRequestURI());
    String query = ctx.queryString();
    if (query != null) {
      check("query", query);
    }
  }

  static void check(String part, String raw) {
    byte[] bytes = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new InvalidRequestException("the request's " + part + " has a malformed percent-escape at '"
              + QueryParams.echo(raw.substring(i, Math.min(raw.length(), i + 3))) + "': use %XX with two hex digits");
        }
        bytes[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else if (c < 0x20 || c > 0x7e) {
        throw new InvalidRequestException("the request's " + part + " contains a raw control or non-ASCII character;"
            + " percent-encode it as UTF-8");
      } else {
        bytes[n++] = (byte) c;
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException("the request's " + part + " is not percent-encoded UTF-8");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidRequestException("the request's " + part + " contains an encoded control character (%"
            + String.format("%02X", (int) c) + ")");
      }
    }
  }
}
