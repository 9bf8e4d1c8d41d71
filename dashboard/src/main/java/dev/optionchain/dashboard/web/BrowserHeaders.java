package dev.optionchain.dashboard.web;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser-hardening headers, on every answer: the page, its scripts and styles, the WebJar, the API's JSON,
 * error pages (Jetty's as well, through {@link JsonErrorHandler}) and the event stream. A Jetty handler wrapping the
 * whole server, so no route, static file or error path can miss them.
 *
 * <ul>
 *   <li>{@value #CSP}: scripts, styles, images, fonts and connections only from this origin; no inline script, no
 *       inline style attribute, no {@code eval}, no plugins, no {@code <base>}; forms post only here; the page may
 *       not be framed.</li>
 *   <li>{@code X-Frame-Options: DENY}: the same for browsers without {@code frame-ancestors}, so the chaos panel
 *       cannot be framed and clicked.</li>
 *   <li>{@code X-Content-Type-Options: nosniff}: a JSON or text answer is never run as script or style.</li>
 *   <li>{@code Referrer-Policy: no-referrer}: the page's URL (symbol, view) is not sent to anyone.</li>
 * </ul>
 * Stateless, thread-safe.
 */
final class BrowserHeaders extends Handler.Wrapper {

  /** The Content-Security-Policy of every answer. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  /** Encoded once: every answer carries them, and the header cache need not be searched for each. */
  private static final List<HttpField> FIELDS = List.of(
      new PreEncodedHttpField("Content-Security-Policy", CSP),
      new PreEncodedHttpField("X-Frame-Options", "DENY"),
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
      new PreEncodedHttpField("Referrer-Policy", "no-referrer"));

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    addTo(response.getHeaders());
    return super.handle(request, response, callback);
  }

  /**
   * Puts the headers on an answer.
   *
   * @param headers the answer's headers
   */
  static void addTo(HttpFields.Mutable headers) {
    for (HttpField field : FIELDS) {
      headers.put(field);
    }
  }
}
