package dev.optionchain.dashboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error page, for the errors Jetty answers itself before a request reaches Javalin: a request line or
 * headers it cannot parse (raw control or non-ASCII bytes, a bad HTTP version, a missing {@code Host}), a request
 * line over the header size limit (414), headers over it or too many of them (431), an ambiguous URI (400), an
 * unsupported HTTP version (400, not Jetty's 505: it is the client's error, and must not count as the server's). The
 * answer is the API's JSON error body, {@code {"status":400,"error":"..."}}, with the same browser headers as every
 * other answer, instead of Jetty's HTML page. A client error is logged at DEBUG only (Jetty's own parser logs a
 * few of them, such as an over-long URI, as one WARN line); nothing is logged with a stack trace. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);
  private static final ObjectMapper JSON = Json.mapper();

  private final Consumer<HttpFields.Mutable> headers;

  /**
   * Creates the handler.
   *
   * @param headers adds the headers every answer carries
   */
  JsonErrorHandler(Consumer<HttpFields.Mutable> headers) {
    this.headers = headers;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int code = response.getStatus();
    String reason = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      code = http.getCode();
      response.setStatus(code);
      if (reason == null) {
        reason = http.getReason();
      }
    }
    if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      // the client's fault, not the server's: a 5xx would page whoever watches the error rate
      code = 400;
      reason = "unsupported HTTP version; use HTTP/1.1";
      response.setStatus(code);
    } else if (code < 400 || code > 599) {
      code = 500;
      response.setStatus(code);
    }
    HttpFields.Mutable out = response.getHeaders();
    out.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.accept(out);
    LOG.debug("{} {} answered {} by Jetty: {}", request.getMethod(), request.getHttpURI().getPath(), code, reason);
    out.put(HttpHeader.CONTENT_TYPE, "application/json");
    if (HttpStatus.hasNoBody(code) || HttpMethod.HEAD.is(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Json.error(code, message(code, reason)));
    } catch (JsonProcessingException e) {
      body = ("{\"status\":" + code + ",\"error\":\"error\"}").getBytes(StandardCharsets.US_ASCII);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** What the client is told: what went wrong in plain words, with Jetty's reason when it says more. */
  static String message(int code, String reason) {
    String what = switch (code) {
      case 400 -> "malformed request";
      case 408 -> "the request was not received in time";
      case 413 -> "request body too large";
      case 414 -> "request line too long";
      case 431 -> "request headers too large or too many";
      default -> code >= 500 ? "internal error" : HttpStatus.getMessage(code);
    };
    if (code >= 500 || reason == null || reason.isBlank()) {
      return what;
    }
    String r = QueryParams.echo(reason);
    return r.equalsIgnoreCase(what) || r.equalsIgnoreCase(HttpStatus.getMessage(code)) ? what : what + ": " + r;
  }
}
