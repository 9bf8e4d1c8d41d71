package dev.optionchain.marketsim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/** The shared JSON mapper and Tradier's shape conventions. Thread-safe. */
final class Json {

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  static final String CONTENT_TYPE = "application/json;charset=UTF-8";

  private Json() {
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * Tradier's XML-derived convention: a list of one is the element itself, a longer list an
   * array. Callers print {@code null} for an empty list.
   */
  static JsonNode oneOrMany(List<? extends JsonNode> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    ArrayNode array = array();
    array.addAll(items);
    return array;
  }

  /** {@code {"fault":{"faultstring":..., "detail":{"errorcode":...}}}}, the gateway's error shape. */
  static ObjectNode fault(String faultstring, String errorcode) {
    ObjectNode root = object();
    ObjectNode fault = root.putObject("fault");
    fault.put("faultstring", faultstring);
    fault.putObject("detail").put("errorcode", errorcode);
    return root;
  }

  /** {@code {"error": message}}, the control API's error shape. */
  static ObjectNode error(String message) {
    return object().put("error", message);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
