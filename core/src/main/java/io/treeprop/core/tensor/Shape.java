package io.treeprop.core.tensor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of one example as it flows between layers: either a flat feature vector {@code [features]} or an
 * image {@code [channels, height, width]} stored NCHW, row by row inside a batch matrix.
 *
 * <p>JSON form: an array of 1 or 3 positive integers, e.g. {@code [784]} or {@code [1, 28, 28]}.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    if (dims.length != 1 && dims.length != 3) {
      throw new IllegalArgumentException(
          "a shape has 1 dimension [features] or 3 [channels, height, width], got " + Arrays.toString(dims));
    }
    long size = 1;
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive, got " + Arrays.toString(dims));
      }
      size *= d;
    }
    if (size > Integer.MAX_VALUE / 8) {
      throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has too many elements: " + size);
    }
    this.dims = dims.clone();
  }

  /** A flat vector of {@code n} features. */
  public static Shape vector(int n) {
    return new Shape(new int[] {n});
  }

  /** An image of {@code channels × height × width}, NCHW. */
  public static Shape image(int channels, int height, int width) {
    return new Shape(new int[] {channels, height, width});
  }

  @JsonCreator
  static Shape fromJson(List<Integer> dims) {
    if (dims == null) {
      throw new IllegalArgumentException("shape must be an array of 1 or 3 positive integers, got null");
    }
    return new Shape(dims.stream().mapToInt(Integer::intValue).toArray());
  }

  @JsonValue
  List<Integer> toJson() {
    return Arrays.stream(dims).boxed().toList();
  }

  /** Number of floats one example occupies. */
  public int size() {
    int s = 1;
    for (int d : dims) {
      s *= d;
    }
    return s;
  }

  /** True for {@code [channels, height, width]}. */
  public boolean isImage() {
    return dims.length == 3;
  }

  public int channels() {
    requireImage();
    return dims[0];
  }

  public int height() {
    requireImage();
    return dims[1];
  }

  public int width() {
    requireImage();
    return dims[2];
  }

  private void requireImage() {
    if (!isImage()) {
      throw new IllegalStateException("shape " + this + " is a vector, not [channels, height, width]");
    }
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }
}
