package dev.optionchain.dashboard.upstream;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into a byte array, up to a limit: past it the exchange is cancelled and the body fails with
 * {@link TooLarge}, so that an upstream cannot make the service hold more than {@code maxBytes} of one answer.
 * One instance per response; called by the HTTP client's threads, one signal at a time.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body passed the limit. Stackless: it is always turned into MALFORMED. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(long maxBytes) {
      super("the answer is larger than " + maxBytes + " bytes", null, false, false);
    }
  }

  private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final long maxBytes;
  private Flow.Subscription subscription;
  private long received;

  private LimitedBody(long maxBytes) {
    this.maxBytes = maxBytes;
    bytes.getBody().whenComplete((b, error) -> {
      if (error != null) {
        body.completeExceptionally(error);
      } else {
        body.complete(b);
      }
    });
  }

  /**
   * Returns a handler of bodies of at most {@code maxBytes}; a declared {@code Content-Length} above it fails at
   * once, without reading.
   *
   * @param maxBytes the limit
   * @return the handler
   */
  static HttpResponse.BodyHandler<byte[]> handler(long maxBytes) {
    return info -> {
      LimitedBody subscriber = new LimitedBody(maxBytes);
      if (info.headers().firstValueAsLong("Content-Length").orElse(0) > maxBytes) {
        subscriber.body.completeExceptionally(new TooLarge(maxBytes));
      }
      return subscriber;
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (body.isDone()) {
      s.cancel();
      return;
    }
    bytes.onSubscribe(s);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      received += b.remaining();
    }
    if (received > maxBytes) {
      subscription.cancel();
      body.completeExceptionally(new TooLarge(maxBytes));
      return;
    }
    bytes.onNext(items);
  }

  @Override
  public void onError(Throwable error) {
    bytes.onError(error);
  }

  @Override
  public void onComplete() {
    bytes.onComplete();
  }
}
