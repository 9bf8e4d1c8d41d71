package dev.optionchain.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} refuses to send (raw control bytes,
 * bad versions, broken headers): writes the bytes as given, reads one response (skipping {@code 1xx}), with its body
 * by {@code Content-Length}, chunked, or up to the end of the connection.
 */
public final class RawHttp {

  /** A response as read. */
  public record Response(String statusLine, int status, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String b = bodyText();
      return statusLine + " " + headers + " " + (b.length() > 300 ? b.substring(0, 300) + "..." : b);
    }
  }

  /** The server closed the connection (or reset it) without a complete response. */
  public static final class NoResponse extends IOException {
    private static final long serialVersionUID = 1L;

    NoResponse(String message) {
      super(message);
    }
  }

  private static final int MAX_BODY = 4 * 1024 * 1024;

  private RawHttp() {}

  /**
   * Sends a request given as text (ISO-8859-1: a char up to {@code \u00ff} is one raw byte) and reads the answer.
   *
   * @param port the server's port on localhost
   * @param request the request, CRLFs included
   * @return the response
   * @throws IOException if there is none within 20 s
   */
  public static Response send(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), request.startsWith("HEAD "), 20_000);
  }

  /**
   * Sends {@code request} on a new connection and reads the response.
   *
   * @param port the server's port on localhost
   * @param request the bytes
   * @param head whether the request is a HEAD (the response then has no body)
   * @param timeoutMillis read timeout
   * @return the response
   * @throws NoResponse if the server closed the connection without answering
   * @throws IOException on a timeout or another I/O failure
   */
  public static Response exchange(int port, byte[] request, boolean head, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      return exchange(socket, request, head, timeoutMillis);
    }
  }

  /**
   * Sends {@code request} on an open connection (a keep-alive client's) and reads one response; the connection stays
   * open.
   *
   * @param socket the connection
   * @param request the request, CRLFs included (ISO-8859-1)
   * @return the response
   * @throws NoResponse if the server closed the connection without answering
   * @throws IOException on a timeout (20 s) or another I/O failure
   */
  public static Response exchange(Socket socket, String request) throws IOException {
    return exchange(socket, request.getBytes(StandardCharsets.ISO_8859_1), request.startsWith("HEAD "), 20_000);
  }

  private static Response exchange(Socket socket, byte[] request, boolean head, int timeoutMillis) throws IOException {
    try {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (SocketException e) {
        // the server may answer and close before reading everything (e.g. 431): read what it said
      }
      InputStream in = socket.getInputStream();
      while (true) {
        String statusLine = line(in);
        if (statusLine == null) {
          throw new NoResponse("connection closed without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
          int colon = h.indexOf(':');
          if (colon > 0) {
            headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                (a, b) -> a + ", " + b);
          }
        }
        if (status >= 100 && status < 200) {
          continue;
        }
        byte[] body;
        String type = headers.getOrDefault("content-type", "");
        if (head || status == 204 || status == 304 || type.startsWith("text/event-stream")) {
          body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
          body = chunked(in);
        } else if (headers.containsKey("content-length")) {
          body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
          body = in.readNBytes(MAX_BODY);
        }
        return new Response(statusLine, status, headers, body);
      }
    } catch (SocketException e) {
      throw new NoResponse("connection reset: " + e.getMessage());
    }
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new IOException("chunked body cut short");
      }
      int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
      if (n == 0) {
        for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line(in);
    }
  }

  /** A line without its CRLF, as ISO-8859-1; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }
}
