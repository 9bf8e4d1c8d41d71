package dev.optionchain.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optionchain.dashboard.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The API's mapper ({@link Json#mapper()}), keeping each answer the start-up warm-up writes with it, in order; after
 * each, {@code after} is told how many there are now, on the warm-up's thread. Thread-safe.
 */
final class RecordingMapper extends ObjectMapper {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper READER = new ObjectMapper();

  final transient List<JsonNode> answers = new CopyOnWriteArrayList<>();
  transient volatile IntConsumer after = n -> { };

  RecordingMapper() {
    super(Json.mapper());
  }

  /** What the warm-up writes with, as the API's {@code ctx.json} does (Javalin's {@code toJsonString}). */
  @Override
  public String writeValueAsString(Object value) throws JsonProcessingException {
    String text = super.writeValueAsString(value);
    try {
      answers.add(READER.readTree(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    after.accept(answers.size());
    return text;
  }
}
