package io.treeprop.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The strict JSON mapper for specs and model metadata: unknown keys, missing required numbers, trailing tokens
 * and bad values are errors, reported with the JSON path of the offending key.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      // The tree-key feature above covers JsonNode only; typed reads need the parser to catch duplicates.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // By default Jackson truncates 5.5 to 5 for an int field; a spec must say what it means.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Json() {}

  /** The shared, thread-safe mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Serializes a value to pretty-printed JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Serializes a value to one line of JSON. */
  public static String writeCompact(Object value) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * Parses JSON into {@code type}.
   *
   * @param what names the document in errors, e.g. "model.json"
   * @throws IllegalArgumentException with the path of the bad key and the rule it breaks
   */
  public static <T> T read(String json, Class<T> type, String what) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw explain(e, what);
    }
  }

  /** Turns a Jackson error into an {@link IllegalArgumentException} naming the path and the rule. */
  public static IllegalArgumentException explain(JsonProcessingException e, String what) {
    String path = e instanceof JsonMappingException m ? path(m) : "";
    Throwable cause = e.getCause();
    String reason = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
    if (reason != null && reason.startsWith("Cannot map `null` into type")) {
      reason = "a required number is missing";
    }
    String where = path.isEmpty() ? "" : " at " + path;
    if (e.getLocation() != null && path.isEmpty()) {
      where = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
    return new IllegalArgumentException("invalid " + what + where + ": " + reason, e);
  }

  private static String path(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
