package dev.optionchain.dashboard.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated request, kept in parts so that a failing one can be shrunk (a header, a query parameter or the body
 * at a time). Strings are sent as ISO-8859-1, so a {@code char} up to {@code \u00ff} is one raw byte on the wire.
 *
 * @param method the method token, possibly lower case or made up
 * @param path the path as sent (raw)
 * @param query the query parameters as sent, {@code name=value} (raw)
 * @param version the version token; empty sends an HTTP/0.9-style request line
 * @param headers the header lines as sent, {@code Name: value} (raw)
 * @param body the body
 */
record FuzzRequest(String method, String path, List<String> query, String version, List<String> headers,
    byte[] body) {

  FuzzRequest {
    query = List.copyOf(query);
    headers = List.copyOf(headers);
  }

  /** The path and query as they appear in the request line. */
  String target() {
    return query.isEmpty() ? path : path + "?" + String.join("&", query);
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  /** The bytes on the wire. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(method).append(' ').append(target());
    if (!version.isEmpty()) {
      head.append(' ').append(version);
    }
    head.append("\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Smaller requests to try when this one fails: without one header, one query parameter, or the body. */
  List<FuzzRequest> smaller() {
    List<FuzzRequest> out = new ArrayList<>();
    if (body.length > 0) {
      out.add(new FuzzRequest(method, path, query, version, headers, new byte[0]));
    }
    for (int i = 0; i < headers.size(); i++) {
      List<String> h = new ArrayList<>(headers);
      h.remove(i);
      out.add(new FuzzRequest(method, path, query, version, h, body));
    }
    for (int i = 0; i < query.size(); i++) {
      List<String> q = new ArrayList<>(query);
      q.remove(i);
      out.add(new FuzzRequest(method, path, q, version, headers, body));
    }
    return out;
  }

  @Override
  public String toString() {
    String s = new String(bytes(), StandardCharsets.ISO_8859_1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 400; i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        b.append("\\r");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.length() >= 400 ? b + "...(" + s.length() + " bytes)" : b.toString();
  }
}
