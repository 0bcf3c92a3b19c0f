package io.treeprop.core.model;

import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.layer.Layer;
import io.treeprop.core.layer.Sequence;
import io.treeprop.core.random.Seeds;
import io.treeprop.core.tensor.Shape;
import java.util.List;

/**
 * A compiled sequential network: its layers, their shapes and the {@link ParamLayout}. Holds no parameter
 * values; every pass takes the flat parameter (and state) vector, so one network serves any number of threads,
 * each with its own {@link Workspace}.
 */
public final class Network {
  private final NetworkSpec spec;
  private final Sequence sequence;
  private final ParamLayout layout;

  /** Builds a network from already-compiled layers (custom layers, tests); {@link #spec()} is then null. */
  public Network(Shape input, List<Layer> layers) {
    this(null, input, layers);
  }

  private Network(NetworkSpec spec, Shape input, List<Layer> layers) {
    this.spec = spec;
    this.sequence = new Sequence(input, layers);
    ParamLayout.Builder b = new ParamLayout.Builder();
    sequence.declare(b);
    this.layout = b.build();
  }

  /**
   * Compiles a spec: each layer for the shape its predecessor outputs.
   *
   * @throws IllegalArgumentException naming the layer index and the shape rule it breaks
   */
  public static Network compile(NetworkSpec spec) {
    return new Network(spec, spec.input(), Sequence.compile(spec.input(), spec.layers(), "network.layers", null));
  }

  /** The spec this was compiled from, or null for a network built from layers. */
  public NetworkSpec spec() {
    return spec;
  }

  public Shape inputShape() {
    return sequence.inputShape();
  }

  public Shape outputShape() {
    return sequence.outputShape();
  }

  public List<Layer> layers() {
    return sequence.layers();
  }

  /** The layers as the engine runs them (a block runs its inner layers with the same loop). */
  public Sequence sequence() {
    return sequence;
  }

  /** Offset of layer {@code i}'s first parameter block in the flat vector. */
  public int paramOffset(int i) {
    return sequence.paramOffset(i);
  }

  public ParamLayout layout() {
    return layout;
  }

  /** True when every layer has a gradient (no threshold units). */
  public boolean trainable() {
    return layers().stream().allMatch(Layer::differentiable);
  }

  /** Fresh parameters from the layers' initializers, a pure function of {@code seed}. */
  public float[] initParams(long seed) {
    return layout.initParams(Seeds.derive(seed, Seeds.INIT));
  }

  /** Fresh state (running statistics at their neutral values). */
  public float[] initState() {
    return layout.initState();
  }

  /**
   * A workspace for batches of up to {@code capacity} rows; with {@code inputGradient}, backward also fills dX.
   * Layers run in place where they can, so after a pass {@link Workspace#activation} reads a layer's output only
   * when its successor did not overwrite it or apply it (the last layer's always).
   */
  public Workspace newWorkspace(int capacity, boolean inputGradient) {
    return new Workspace(this, capacity, inputGradient, i -> false);
  }

  /** As above, keeping layer {@code keptLayer}'s output readable after a pass (an encoder's code). */
  public Workspace newWorkspace(int capacity, boolean inputGradient, int keptLayer) {
    return new Workspace(this, capacity, inputGradient, i -> i == keptLayer);
  }

  /**
   * Runs all layers on the first {@code batch} rows of {@code ws.input()}.
   *
   * @param training dropout active and state collected into {@code ws.newState()}
   * @param seed the pass seed; each layer gets {@code derive(seed, layerIndex)}
   * @return the output buffer {@code [batch, outputSize]} (owned by the workspace)
   */
  public float[] forward(Workspace ws, float[] params, float[] state, int batch, boolean training, long seed) {
    checkPass(ws, params, state, batch);
    if (training && state.length > 0) {
      System.arraycopy(state, 0, ws.newState(), 0, state.length);
    }
    ws.pass().begin(params, state, training ? ws.newState() : null, batch, training);
    sequence.forward(ws.frames(), ws.pass(), seed);
    return ws.activation(layers().size() - 1);
  }

  /**
   * Back-propagates from {@code ws.delta(top - 1)} (the gradient w.r.t. the output of layer {@code top - 1},
   * written by the loss) through layers {@code top - 1 … 0}, adding parameter gradients into {@code grad}. Pass
   * {@code top = layers().size()} normally, one less to start below a fused output activation. Call after
   * {@link #forward} with the same workspace.
   */
  public void backward(Workspace ws, float[] grad, int top) {
    if (grad.length != layout.paramCount()) {
      throw new IllegalArgumentException("gradient vector has " + grad.length + " floats, the network "
          + layout.paramCount());
    }
    ws.pass().gradient(grad);
    sequence.backward(ws.frames(), top);
  }

  private void checkPass(Workspace ws, float[] params, float[] state, int batch) {
    if (params.length != layout.paramCount()) {
      throw new IllegalArgumentException("parameter vector has " + params.length + " floats, the network expects "
          + layout.paramCount());
    }
    if (state.length != layout.stateCount()) {
      throw new IllegalArgumentException("state vector has " + state.length + " floats, the network expects "
          + layout.stateCount());
    }
    if (batch < 0 || batch > ws.capacity()) {
      throw new IllegalArgumentException("batch of " + batch + " rows does not fit a workspace of " + ws.capacity());
    }
  }
}
