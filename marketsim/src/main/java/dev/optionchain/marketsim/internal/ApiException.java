package dev.optionchain.marketsim.internal;

/**
 * A request the simulated API refuses, answered with {@code status} and a Tradier fault body.
 * Carries no stack trace: it is control flow, not a failure.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorcode;

  ApiException(int status, String faultstring, String errorcode) {
    super(faultstring, null, false, false);
    this.status = status;
    this.errorcode = errorcode;
  }

  static ApiException missing(String parameter) {
    return new ApiException(400, "Missing required parameter: " + parameter, "request.missing_parameter");
  }

  static ApiException invalid(String parameter, String value, String expected) {
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return new ApiException(400, "Invalid parameter " + parameter + "='" + shown + "': " + expected,
        "request.invalid_parameter");
  }

  int status() {
    return status;
  }

  String errorcode() {
    return errorcode;
  }
}
