package dev.optionchain.dashboard.secrets;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets the service is configured with (tokens, the user-info of URLs, webhook URLs), and the one way they
 * are kept out of everything it says: answers, events, metrics and logs.
 *
 * <p>Algorithm of {@link #redact}: first the user-info of every URL in the text is removed
 * ({@code https://user:pass@host/} becomes {@code https://host/}), whatever it is, known or not; then every known
 * secret value, and its URL-encoded form, is replaced by {@value #MASK}, longest first, so that a secret that
 * contains another is masked whole. Known values are kept verbatim: a short token masks every occurrence of those
 * characters, which makes a weak token visible in the logs rather than a strong one readable.
 *
 * <p>Logs are redacted by Logback itself ({@link RedactingMessageConverter}, {@link RedactingThrowableConverter}
 * in {@code logback.xml}): a running service registers its secrets with {@link #activateInLogs()}, and every log
 * line of every logger, stack traces included, goes through {@link #redactForLogs}.
 *
 * <p>Immutable and thread-safe; the registry of secrets active in logs is a copy-on-write list.
 */
public final class Secrets {

  /** What a secret is replaced by. */
  public static final String MASK = "****";

  /**
   * {@code scheme://} followed by user-info up to the authority's last {@code @} (no {@code /?#} or whitespace before
   * it): a password pasted with a raw {@code @} is removed whole, not up to its own {@code @}.
   */
  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/?#\\s]*@");

  /** A path segment or query value at least this long in a webhook URL is masked wherever it appears. */
  private static final int TOKEN_LIKE_LENGTH = 8;

  private static final Secrets NONE = new Secrets(List.of());
  private static final List<Secrets> ACTIVE_IN_LOGS = new CopyOnWriteArrayList<>();

  /** Distinct, non-empty, longest first. */
  private final List<String> values;

  private Secrets(List<String> values) {
    this.values = values;
  }

  /**
   * Returns no secrets: {@link #redact} then only removes the user-info of URLs.
   *
   * @return the empty set
   */
  public static Secrets none() {
    return NONE;
  }

  /**
   * Returns these literal secret values, e.g. tokens. Null and empty values are ignored.
   *
   * @param values the values
   * @return the secrets
   */
  public static Secrets of(Collection<String> values) {
    Set<String> all = new LinkedHashSet<>();
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        all.add(v);
        all.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
        all.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return sorted.isEmpty() ? NONE : new Secrets(List.copyOf(sorted));
  }

  /**
   * Returns the secrets a URL carries in its user-info: the whole user-info and its password, raw and decoded.
   *
   * @param url a URL, or null
   * @return its secrets; none when it has no user-info
   */
  public static Secrets inUserInfo(URI url) {
    if (url == null || url.getRawUserInfo() == null) {
      return NONE;
    }
    List<String> v = new ArrayList<>();
    String raw = url.getRawUserInfo();
    v.add(raw);
    v.add(url.getUserInfo());
    int colon = raw.indexOf(':');
    if (colon >= 0 && colon < raw.length() - 1) {
      String password = raw.substring(colon + 1);
      v.add(password);
      v.add(decode(password));
    }
    return of(v);
  }

  /**
   * Returns the secrets of a URL that is itself a credential, such as a Slack or Discord webhook: its user-info, its
   * whole path and query, and each path segment and query value of at least 8 characters, raw and decoded.
   *
   * @param url the URL
   * @return its secrets
   */
  public static Secrets inCredentialUrl(URI url) {
    List<String> v = new ArrayList<>();
    v.add(url.toString());
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    String file = path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    if (file.length() > 1) {
      v.add(file);
    }
    for (String segment : path.split("/")) {
      addTokenLike(v, segment);
    }
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        addTokenLike(v, pair.substring(pair.indexOf('=') + 1));
      }
    }
    return inUserInfo(url).and(of(v));
  }

  private static void addTokenLike(List<String> v, String raw) {
    if (raw.length() >= TOKEN_LIKE_LENGTH) {
      v.add(raw);
      v.add(decode(raw));
    }
  }

  /**
   * Returns these secrets and {@code other}'s.
   *
   * @param other more secrets
   * @return the union
   */
  public Secrets and(Secrets other) {
    if (other.values.isEmpty()) {
      return this;
    }
    if (values.isEmpty()) {
      return other;
    }
    List<String> all = new ArrayList<>(values);
    all.addAll(other.values);
    return of(all);
  }

  /**
   * Tells whether there is no known secret value.
   *
   * @return true when only user-info is removed
   */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Removes the user-info of every URL in {@code text} and masks every known secret.
   *
   * @param text any text, or null
   * @return the text without secrets; null for null
   */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text.indexOf("://") >= 0 ? withoutUserInfo(text) : text;
    for (String secret : values) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /**
   * Returns a URL as it may be shown: without its user-info.
   *
   * @param url the URL
   * @return e.g. {@code https://api.example.com/v1} for {@code https://user:pass@api.example.com/v1}
   */
  public static String shown(URI url) {
    return withoutUserInfo(url.toString());
  }

  /**
   * Returns a credential URL (a webhook) as it may be shown: scheme, host and port, the rest elided.
   *
   * @param url the URL
   * @return e.g. {@code https://hooks.slack.com/…} for {@code https://hooks.slack.com/services/T0/B0/XXXX}
   */
  public static String origin(URI url) {
    StringBuilder b = new StringBuilder().append(url.getScheme()).append("://").append(url.getHost());
    if (url.getPort() != -1) {
      b.append(':').append(url.getPort());
    }
    boolean more = (url.getRawPath() != null && url.getRawPath().length() > 1) || url.getRawQuery() != null;
    return b.append(more ? "/\u2026" : "").toString();
  }

  /**
   * Returns what may be shown of a value meant to be a URL that could not be parsed: its scheme and host when they
   * can be told apart, else its first characters.
   *
   * @param raw what was configured
   * @return a short hint without user-info, path or query
   */
  public static String hint(String raw) {
    String s = withoutUserInfo(raw);
    int start = s.indexOf("://");
    if (start >= 0) {
      int end = start + 3;
      while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0 && !Character.isWhitespace(s.charAt(end))) {
        end++;
      }
      return s.substring(0, end) + (end < s.length() ? "\u2026" : "");
    }
    return s.length() <= 8 ? s : s.substring(0, 8) + "\u2026";
  }

  /**
   * Registers these secrets with the log redaction: from now until {@code close()}, every log line is redacted with
   * them (and with those of any other running service in this process).
   *
   * @return closes the registration
   */
  public Registration activateInLogs() {
    ACTIVE_IN_LOGS.add(this);
    return () -> ACTIVE_IN_LOGS.remove(this);
  }

  /** Secrets registered with the log redaction, until closed. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Stops redacting logs with these secrets (other registrations stay). Idempotent. */
    @Override
    void close();
  }

  /**
   * Redacts a log line with the secrets of every running service; user-info is removed even with none.
   *
   * @param line the formatted message or stack trace
   * @return the line without secrets
   */
  public static String redactForLogs(String line) {
    String out = NONE.redact(line);
    for (Secrets s : ACTIVE_IN_LOGS) {
      out = s.redact(out);
    }
    return out;
  }

  private static String withoutUserInfo(String text) {
    Matcher m = USER_INFO.matcher(text);
    return m.find() ? m.replaceAll("$1") : text;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  @Override
  public String toString() {
    return "Secrets[" + values.size() + " values]";
  }
}
