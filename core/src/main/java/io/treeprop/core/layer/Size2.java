package io.treeprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A height and width in a layer spec, written in JSON as one number for both ({@code 3}) or a pair
 * ({@code [3, 5]}).
 */
public record Size2(int h, int w) {
  /** The same value for height and width. */
  public static Size2 of(int n) {
    return new Size2(n, n);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Size2 fromJson(JsonNode n) {
    if (n.isInt()) {
      return of(n.intValue());
    }
    if (n.isArray() && n.size() == 2 && n.get(0).isInt() && n.get(1).isInt()) {
      return new Size2(n.get(0).intValue(), n.get(1).intValue());
    }
    throw new IllegalArgumentException("expected an integer or [height, width], received " + n);
  }

  @JsonValue
  Object toJson() {
    return h == w ? (Object) h : List.of(h, w);
  }

  @Override
  public String toString() {
    return h + "x" + w;
  }
}
