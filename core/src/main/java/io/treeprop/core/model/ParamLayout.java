package io.treeprop.core.model;

import io.treeprop.core.init.Initializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where every parameter and state value of a network lives in its two flat vectors. Gradients and optimizer
 * moments use the parameter layout too, so a training step moves one array.
 *
 * <p>Blocks of one layer are contiguous and in declaration order, so a layer finds its blocks from its first
 * offset.
 */
public final class ParamLayout {
  /** What a block holds; decides weight decay and whether it is a parameter or state. */
  public enum Kind {
    /** Multiplicative weights: L2-decayed by default. */
    WEIGHT,
    /** Biases, shifts and scales: not decayed by default. */
    BIAS,
    /** Non-gradient state such as running statistics; lives in the state vector. */
    STATE
  }

  /**
   * One named block.
   *
   * @param shape its logical shape, e.g. {@code [784, 256]} for a dense weight matrix {@code [in, out]}
   */
  public record Block(String name, Kind kind, int offset, int size, int[] shape, int fanIn, int fanOut,
      Initializer init) {}

  private final List<Block> params;
  private final List<Block> state;
  private final int[] layerParamOffsets;
  private final int[] layerStateOffsets;
  private final int paramCount;
  private final int stateCount;

  private ParamLayout(Builder b) {
    this.params = Collections.unmodifiableList(b.params);
    this.state = Collections.unmodifiableList(b.state);
    this.layerParamOffsets = b.layerParamOffsets.stream().mapToInt(Integer::intValue).toArray();
    this.layerStateOffsets = b.layerStateOffsets.stream().mapToInt(Integer::intValue).toArray();
    this.paramCount = b.paramCount;
    this.stateCount = b.stateCount;
  }

  public int paramCount() {
    return paramCount;
  }

  public int stateCount() {
    return stateCount;
  }

  public List<Block> paramBlocks() {
    return params;
  }

  public List<Block> stateBlocks() {
    return state;
  }

  /** Offset of layer {@code i}'s first parameter block. */
  public int paramOffset(int layer) {
    return layerParamOffsets[layer];
  }

  /** Offset of layer {@code i}'s first state block. */
  public int stateOffset(int layer) {
    return layerStateOffsets[layer];
  }

  /** Fresh parameters drawn by each block's initializer from one seeded generator. */
  public float[] initParams(long seed) {
    float[] p = new float[paramCount];
    SplittableRandom rng = new SplittableRandom(seed);
    for (Block b : params) {
      b.init().fill(p, b.offset(), b.size(), b.fanIn(), b.fanOut(), rng.split());
    }
    return p;
  }

  /** Initial state (e.g. running variance 1). */
  public float[] initState() {
    float[] s = new float[stateCount];
    SplittableRandom rng = new SplittableRandom(0);
    for (Block b : state) {
      b.init().fill(s, b.offset(), b.size(), b.fanIn(), b.fanOut(), rng);
    }
    return s;
  }

  /** Collects blocks layer by layer; used by {@link io.treeprop.core.layer.Layer#declare}. */
  public static final class Builder {
    private final List<Block> params = new ArrayList<>();
    private final List<Block> state = new ArrayList<>();
    private final List<Integer> layerParamOffsets = new ArrayList<>();
    private final List<Integer> layerStateOffsets = new ArrayList<>();
    private String prefix = "";
    private int paramCount;
    private int stateCount;

    /** Starts the blocks of a new layer, named with {@code prefix/}. */
    public void beginLayer(String prefix) {
      this.prefix = prefix;
      layerParamOffsets.add(paramCount);
      layerStateOffsets.add(stateCount);
    }

    /** A multiplicative weight block of the given logical shape. */
    public Builder weight(String name, int[] shape, int fanIn, int fanOut, Initializer init) {
      return param(name, Kind.WEIGHT, shape, fanIn, fanOut, init);
    }

    /** A bias-like block (not decayed). */
    public Builder bias(String name, int size, Initializer init) {
      return param(name, Kind.BIAS, new int[] {size}, 1, 1, init);
    }

    /** A state block (not a parameter). */
    public Builder state(String name, int size, Initializer init) {
      long end = (long) stateCount + size;
      checkSize(name, end);
      state.add(new Block(prefix + name, Kind.STATE, stateCount, size, new int[] {size}, 1, 1, init));
      stateCount = (int) end;
      return this;
    }

    private Builder param(String name, Kind kind, int[] shape, int fanIn, int fanOut, Initializer init) {
      long size = 1;
      for (int d : shape) {
        size *= d;
      }
      long end = paramCount + size;
      checkSize(name, end);
      params.add(new Block(prefix + name, kind, paramCount, (int) size, shape.clone(), fanIn, fanOut, init));
      paramCount = (int) end;
      return this;
    }

    private void checkSize(String name, long end) {
      if (end > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("network too large: block " + prefix + name + " ends at " + end
            + " floats, above the 2^31 limit of one flat vector");
      }
    }

    public ParamLayout build() {
      return new ParamLayout(this);
    }
  }
}
