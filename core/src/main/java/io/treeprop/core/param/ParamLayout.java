package io.treeprop.core.param;

import io.treeprop.core.init.Initializer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where every parameter and state value of a network lives in its two flat vectors. Gradients and optimizer
 * moments use the parameter layout too, so a training step moves one array.
 *
 * <p>Block names are scope paths: a network declares layer {@code i} in scope {@code "i"}, so a dense layer's
 * weights are {@code 2/W}; a block made of layers opens nested scopes for its inner layers ({@code 4/1/W},
 * {@code 4/shortcut/W}). Blocks of one layer (inner layers included) are contiguous and in declaration order, so a
 * layer finds its blocks from its first offset.
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
  private final int paramCount;
  private final int stateCount;

  private ParamLayout(Builder b) {
    this.params = Collections.unmodifiableList(b.params);
    this.state = Collections.unmodifiableList(b.state);
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

  /**
   * Collects blocks in declaration order; used by {@link io.treeprop.core.layer.Layer#declare}. Call order:
   * {@code enter(scope)}, the scope's blocks (and nested scopes), {@code exit()}.
   */
  public static final class Builder {
    private final List<Block> params = new ArrayList<>();
    private final List<Block> state = new ArrayList<>();
    private final ArrayDeque<String> scopes = new ArrayDeque<>();
    private String prefix = "";
    private int paramCount;
    private int stateCount;

    /**
     * Opens a nested scope: the blocks declared until the matching {@link #exit()} are named {@code scope/...}.
     *
     * @throws IllegalArgumentException for an empty scope or one containing {@code /}
     */
    public Builder enter(String scope) {
      if (scope == null || scope.isEmpty() || scope.contains("/")) {
        throw new IllegalArgumentException("parameter scope '" + scope + "' must be a non-empty name without '/'");
      }
      scopes.push(prefix);
      prefix = prefix + scope + "/";
      return this;
    }

    /** Closes the scope opened by the last {@link #enter}. */
    public Builder exit() {
      if (scopes.isEmpty()) {
        throw new IllegalStateException("exit() without a matching enter(scope)");
      }
      prefix = scopes.pop();
      return this;
    }

    /** Parameters declared so far: the offset the next parameter block gets. */
    public int paramCount() {
      return paramCount;
    }

    /** State values declared so far: the offset the next state block gets. */
    public int stateCount() {
      return stateCount;
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

    /** The layout; every scope must be closed. */
    public ParamLayout build() {
      if (!scopes.isEmpty()) {
        throw new IllegalStateException("scope " + prefix + " is still open: call exit() for every enter(scope)");
      }
      return new ParamLayout(this);
    }
  }
}
