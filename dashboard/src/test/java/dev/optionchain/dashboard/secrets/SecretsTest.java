package dev.optionchain.dashboard.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void userInfoIsRemovedFromEveryUrlInATextKnownOrNot() {
    assertThat(Secrets.none().redact("cannot reach https://bob:hunter2@api.example.com/v1 or ftp://x@h/ (http://ok/)"))
        .isEqualTo("cannot reach https://api.example.com/v1 or ftp://h/ (http://ok/)");
    assertThat(Secrets.none().redact("mail bob@example.com, see http://host/a@b")).isEqualTo(
        "mail bob@example.com, see http://host/a@b");
    assertThat(Secrets.none().redact("a password with a raw @: https://bob:p@ss@word@api.example.com/v1 and me@x"))
        .as("the user-info ends at the authority's last @").isEqualTo(
            "a password with a raw @: https://api.example.com/v1 and me@x");
    assertThat(Secrets.hint("redis://:p@ss@word@cache:6379/0")).isEqualTo("redis://cache:6379\u2026");
  }

  @Test
  void knownValuesAreMaskedRawAndUrlEncodedLongestFirst() {
    Secrets s = Secrets.of(Arrays.asList("tok", "tok-longer", null, "", "a b/c"));
    assertThat(s.redact("tok-longer and tok")).isEqualTo("**** and ****");
    assertThat(s.redact("q=a+b%2Fc and a%20b%2Fc and a b/c")).isEqualTo("q=**** and **** and ****");
    assertThat(s.redact(null)).isNull();
    assertThat(Secrets.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void theUserInfoOfAUrlIsSecretWholeAndItsPasswordAlone() {
    Secrets s = Secrets.inUserInfo(URI.create("http://user:p%40ss@host:8080/x"));
    assertThat(s.redact("user:p%40ss and p@ss and p%40ss")).isEqualTo("**** and **** and ****");
    assertThat(Secrets.inUserInfo(URI.create("http://host/")).isEmpty()).isTrue();
    assertThat(Secrets.inUserInfo(null).isEmpty()).isTrue();
  }

  @Test
  void aWebhookUrlIsACredentialItsPathQueryAndLongSegmentsAreMasked() {
    Secrets s = Secrets.inCredentialUrl(URI.create("https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXX?token=abcdefgh12"));
    assertThat(s.redact("posting to /services/T0/B0/XXXXXXXXXXXX?token=abcdefgh12 failed"))
        .isEqualTo("posting to **** failed");
    assertThat(s.redact("segment XXXXXXXXXXXX, value abcdefgh12, short T0 kept")).isEqualTo(
        "segment ****, value ****, short T0 kept");
  }

  @Test
  void urlsAreShownWithoutWhatCarriesSecrets() {
    assertThat(Secrets.shown(URI.create("https://u:p@api.example.com:8443/v1"))).isEqualTo(
        "https://api.example.com:8443/v1");
    assertThat(Secrets.origin(URI.create("https://u:p@hooks.slack.com/services/T/B/X?y=1")))
        .isEqualTo("https://hooks.slack.com/\u2026");
    assertThat(Secrets.origin(URI.create("http://127.0.0.1:9000"))).isEqualTo("http://127.0.0.1:9000");
    assertThat(Secrets.hint("https://u:p@host.example/secret/path")).isEqualTo("https://host.example\u2026");
    assertThat(Secrets.hint("not a url at all")).isEqualTo("not a ur\u2026");
  }

  @Test
  void logsAreRedactedWithTheSecretsOfEveryRunningServiceUntilItStops() {
    Secrets.Registration one = Secrets.of(List.of("first-secret")).activateInLogs();
    Secrets.Registration two = Secrets.of(List.of("second-secret")).activateInLogs();
    try {
      assertThat(Secrets.redactForLogs("first-secret, second-secret, http://u:p@h/"))
          .isEqualTo("****, ****, http://h/");
    } finally {
      one.close();
      two.close();
    }
    assertThat(Secrets.redactForLogs("first-secret")).isEqualTo("first-secret");
  }
}
