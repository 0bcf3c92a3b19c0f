package io.treeprop.core.layer;

import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.random.Seeds;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Layers run one after another: the single forward/backward loop of the engine, used by a network for its layers
 * and by a block for its inner layers. Immutable; the buffers of a pass are the {@link Frame}s made by
 * {@link #frames}.
 *
 * <p>Layer {@code i} declares its blocks in scope {@code "i"} and gets the pass seed
 * {@code derive(seed, DROPOUT, i)}. Offsets are relative to the sequence's first block, so a block places its inner
 * sequence at its own offset.
 *
 * <p><b>In place.</b> Layer {@code i} shares its predecessor's output and output-gradient buffers (its output
 * overwrites its input, its input gradient its output gradient) when it {@linkplain Layer#inPlace() can}, it is
 * neither the first layer (the input belongs to the caller, and a block's shortcut reads it) nor the last (a fused
 * loss and the scorers read the logits under a final softmax or sigmoid, and a block's shortcut shares the last
 * output gradient), no layer already writing that buffer {@linkplain Layer#backwardReadsOutput() reads it in
 * backward}, and the caller does not read the overwritten output. Results are identical to the bit; a conv → relu
 * or dense → relu pair needs half the buffers.
 *
 * <p><b>ReLU into max pooling.</b> A ReLU run in place whose successor is a max pool, and whose output the caller
 * does not read, does nothing itself: the pool pools its input and applies the ReLU to the pooled values
 * ({@link Pool2dLayer#withRelu}; the same numbers to the bit, on a quarter of the elements for 2×2 windows). Its
 * frame reports {@link Frame#outputDeferred()}.
 */
public final class Sequence {
  private final Shape input;
  private final List<Layer> layers;
  private final int[] paramOffsets;
  private final int[] stateOffsets;
  private final int paramCount;
  private final int stateCount;

  /**
   * @throws IllegalArgumentException when the list is empty or a layer's input shape differs from its
   *     predecessor's output
   */
  public Sequence(Shape input, List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("network.layers is empty: a network needs at least one layer");
    }
    this.input = input;
    this.layers = List.copyOf(layers);
    int n = layers.size();
    paramOffsets = new int[n];
    stateOffsets = new int[n];
    ParamLayout.Builder b = new ParamLayout.Builder();
    Shape s = input;
    for (int i = 0; i < n; i++) {
      Layer l = layers.get(i);
      if (!l.inputShape().equals(s)) {
        throw new IllegalArgumentException("layer " + i + " expects input " + l.inputShape() + " but receives " + s);
      }
      paramOffsets[i] = b.paramCount();
      stateOffsets[i] = b.stateCount();
      b.enter(Integer.toString(i));
      l.declare(b);
      b.exit();
      s = l.outputShape();
    }
    paramCount = b.paramCount();
    stateCount = b.stateCount();
  }

  /**
   * Compiles specs in order, each for the shape its predecessor outputs; a weight layer picks its default
   * initializer from the first following spec that is not {@linkplain LayerSpec#transparentToInit() transparent}
   * (or {@code after} when none is).
   *
   * @param where the list's path for messages, e.g. {@code network.layers}
   * @param after the spec that follows the list (a block's activation), or null
   * @throws IllegalArgumentException prefixed with {@code where[i]: } for the first layer that cannot compile
   */
  public static List<Layer> compile(Shape input, List<LayerSpec> specs, String where, LayerSpec after) {
    List<Layer> layers = new ArrayList<>(specs.size());
    Shape s = input;
    for (int i = 0; i < specs.size(); i++) {
      Layer l;
      try {
        l = specs.get(i).compile(s, next(specs, i, after));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "[" + i + "]: " + e.getMessage(), e);
      }
      layers.add(l);
      s = l.outputShape();
    }
    return layers;
  }

  private static LayerSpec next(List<LayerSpec> specs, int i, LayerSpec after) {
    for (int j = i + 1; j < specs.size(); j++) {
      if (!specs.get(j).transparentToInit()) {
        return specs.get(j);
      }
    }
    return after;
  }

  public Shape inputShape() {
    return input;
  }

  public Shape outputShape() {
    return layers.get(layers.size() - 1).outputShape();
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Offset of layer {@code i}'s first parameter block, relative to the sequence's first. */
  public int paramOffset(int i) {
    return paramOffsets[i];
  }

  /** Parameters of all layers. */
  public int paramCount() {
    return paramCount;
  }

  /** State values of all layers. */
  public int stateCount() {
    return stateCount;
  }

  /** Declares every layer's blocks, layer {@code i} in scope {@code "i"}. */
  public void declare(ParamLayout.Builder layout) {
    for (int i = 0; i < layers.size(); i++) {
      layout.enter(Integer.toString(i));
      layers.get(i).declare(layout);
      layout.exit();
    }
  }

  /**
   * Floats of buffers per row: the output and output gradient of every layer not run in place, every layer's
   * {@linkplain Layer#extraFloatsPerRow() extra buffers}, plus the input gradient when asked for (the input buffer
   * belongs to the caller). Counted with no outputs kept.
   */
  public long floatsPerRow(boolean inputGradient) {
    long f = inputGradient ? input.size() : 0;
    boolean[] inPlace = inPlace(i -> false);
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      f += (inPlace[i] ? 0 : 2L * l.outputShape().size()) + l.extraFloatsPerRow();
    }
    return f;
  }

  /**
   * Which layers run in place (see the class comment).
   *
   * @param keepOutput true for a layer whose output the caller reads after the pass: its successor does not
   *     overwrite it
   */
  public boolean[] inPlace(IntPredicate keepOutput) {
    int n = layers.size();
    boolean[] in = new boolean[n];
    boolean read = false; // does a layer writing the current output buffer read it in backward?
    for (int i = 0; i < n; i++) {
      Layer l = layers.get(i);
      in[i] = i > 0 && i < n - 1 && l.inPlace() && !read && !keepOutput.test(i - 1);
      // in place only when no earlier writer reads the buffer, so only this layer's reading counts either way
      read = l.backwardReadsOutput();
    }
    return in;
  }

  /** As below, with no outputs kept: every layer that can runs in place. */
  public Frame[] frames(int capacity, float[] in, float[] dIn, int paramBase, int stateBase) {
    return frames(capacity, in, dIn, paramBase, stateBase, i -> false);
  }

  /**
   * Frames for passes of up to {@code capacity} rows: layer {@code i} reads frame {@code i - 1}'s output, and a
   * layer run {@linkplain #inPlace in place} writes into it.
   *
   * @param in the input buffer {@code [capacity, inputSize]}
   * @param dIn where backward writes the input gradient, or null
   * @param paramBase offset of the sequence's first parameter block in the flat vectors
   * @param stateBase offset of its first state block
   * @param keepOutput true for the layers whose outputs the caller reads after the pass
   */
  public Frame[] frames(int capacity, float[] in, float[] dIn, int paramBase, int stateBase,
      IntPredicate keepOutput) {
    Frame[] frames = new Frame[layers.size()];
    boolean[] inPlace = inPlace(keepOutput);
    float[] x = in;
    float[] dx = dIn;
    for (int i = 0; i < frames.length; i++) {
      Layer l = layers.get(i);
      int size = Math.multiplyExact(capacity, l.outputShape().size());
      float[] y = inPlace[i] ? x : new float[size];
      float[] dy = inPlace[i] ? dx : new float[size];
      frames[i] = new Frame(x, y, dx, dy, capacity, paramBase + paramOffsets[i], stateBase + stateOffsets[i]);
      frames[i].runs = l;
      if (i > 0 && frames[i - 1].outputDeferred()) {
        frames[i].runs = ((Pool2dLayer) l).withRelu();
      } else if (inPlace[i] && !keepOutput.test(i) && i + 1 < frames.length && isRelu(l)
          && layers.get(i + 1) instanceof Pool2dLayer p && p.mode() == Pool2dLayer.Mode.MAX) {
        frames[i].runs = new Deferred(l);
      }
      x = y;
      dx = dy;
    }
    return frames;
  }

  /** Runs every layer forward on {@code pass.batch()} rows; layer {@code i} gets {@code derive(seed, DROPOUT, i)}. */
  public void forward(Frame[] frames, Pass pass, long seed) {
    for (int i = 0; i < frames.length; i++) {
      frames[i].bind(pass, Seeds.derive(seed, Seeds.DROPOUT, i));
      frames[i].runs.forward(frames[i]);
    }
  }

  /**
   * Back-propagates from {@code frames[top - 1].dOut()} through layers {@code top - 1 … 0}, adding parameter
   * gradients into the pass's gradient vector. Stops at the first layer with parameters when the first frame has no
   * input gradient (nothing below needs it). Call after {@link #forward} with the same frames.
   */
  public void backward(Frame[] frames, int top) {
    int bottom = frames[0].dIn() != null ? 0 : firstWithParams();
    for (int i = top - 1; i >= bottom; i--) {
      frames[i].runs.backward(frames[i]);
    }
  }

  private static boolean isRelu(Layer l) {
    return l instanceof ActivationLayer a && a.function() == ActivationFunction.RELU;
  }

  /** A ReLU applied by the max pool after it: nothing to do in place, forward or backward. */
  record Deferred(Layer relu) implements Layer {
    @Override
    public Shape inputShape() {
      return relu.inputShape();
    }

    @Override
    public Shape outputShape() {
      return relu.outputShape();
    }

    @Override
    public void forward(Frame f) {}

    @Override
    public void backward(Frame f) {}
  }

  private int firstWithParams() {
    for (int i = 0; i < layers.size(); i++) {
      int end = i + 1 < layers.size() ? paramOffsets[i + 1] : paramCount;
      if (end > paramOffsets[i]) {
        return i;
      }
    }
    return layers.size();
  }
}
