package io.treeprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Zero padding of a convolution or pooling spec, in JSON {@code "valid"} (none), {@code "same"} (output size =
 * input size; stride 1 and odd kernels only, padding {@code (kernel − 1) / 2}), or explicit rows and columns per
 * side ({@code 1} or {@code [1, 2]}).
 *
 * @param explicit the padding per side, or null for {@code same}
 */
public record Padding(Size2 explicit) {
  public static final Padding VALID = new Padding(Size2.of(0));
  public static final Padding SAME = new Padding(null);

  public Padding {
    if (explicit != null && (explicit.h() < 0 || explicit.w() < 0)) {
      throw new IllegalArgumentException("padding " + explicit + " must be >= 0");
    }
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Padding fromJson(JsonNode n) {
    if (n.isTextual()) {
      return switch (n.textValue()) {
        case "valid" -> VALID;
        case "same" -> SAME;
        default -> throw new IllegalArgumentException("padding \"" + n.textValue()
            + "\" must be \"valid\", \"same\", an integer or [height, width]");
      };
    }
    return new Padding(Size2.fromJson(n));
  }

  @JsonValue
  Object toJson() {
    return explicit == null ? "same" : explicit.equals(Size2.of(0)) ? "valid" : explicit.toJson();
  }

  /**
   * The padding per side for a kernel and stride.
   *
   * @throws IllegalArgumentException for {@code same} with a stride above 1 or an even kernel
   */
  Size2 resolve(String layer, Size2 kernel, Size2 stride) {
    if (explicit != null) {
      return explicit;
    }
    if (stride.h() != 1 || stride.w() != 1 || kernel.h() % 2 == 0 || kernel.w() % 2 == 0) {
      throw new IllegalArgumentException(layer + ".padding \"same\" needs stride 1 and an odd kernel, not stride "
          + stride + " and kernel " + kernel + "; give explicit padding instead");
    }
    return new Size2((kernel.h() - 1) / 2, (kernel.w() - 1) / 2);
  }
}
