package io.treeprop.core.model;

import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.loss.Loss;
import java.util.List;
import java.util.Map;

/**
 * A trained network: its spec, parameter and state vectors, the loss it was trained with (which fixes how outputs
 * turn into predictions), class names, the training summary and free-form metadata (e.g. feature scaling saved by
 * the jobs). Immutable by contract: the arrays are not copied, callers must not change them.
 */
public final class Model {

  private final NetworkSpec spec;
  private final Network network;
  private final float[] params;
  private final float[] state;
  private final Loss loss;
  private final List<String> labels;
  private final TrainingSummary summary;
  private final Map<String, Object> metadata;

  /**
   * @param loss may be null for a network used only for inference (e.g. hand-set threshold units)
   * @param labels class names by index, or empty
   */
  public Model(NetworkSpec spec, float[] params, float[] state, Loss loss, List<String> labels,
      TrainingSummary summary, Map<String, Object> metadata) {
    this.spec = spec;
    this.network = spec.compile();
    ParamLayout layout = network.layout();
    if (params.length != layout.paramCount()) {
      throw new IllegalArgumentException("the network has " + layout.paramCount() + " parameters, " + params.length
          + " were given");
    }
    if (state.length != layout.stateCount()) {
      throw new IllegalArgumentException("the network has " + layout.stateCount() + " state values, "
          + state.length + " were given");
    }
    int outputs = network.outputShape().size();
    if (loss != null) {
      loss.checkOutputs(outputs);
    }
    this.labels = labels == null ? List.of() : List.copyOf(labels);
    if (!this.labels.isEmpty() && loss != null && loss.task() == Loss.Task.MULTICLASS
        && this.labels.size() != outputs) {
      throw new IllegalArgumentException(this.labels.size() + " class labels for a network with " + outputs
          + " outputs");
    }
    this.params = params;
    this.state = state;
    this.loss = loss;
    this.summary = summary;
    this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A model with just a spec and parameters. */
  public Model(NetworkSpec spec, float[] params, Loss loss) {
    this(spec, params, spec.compile().initState(), loss, List.of(), null, Map.of());
  }

  public NetworkSpec spec() {
    return spec;
  }

  public Network network() {
    return network;
  }

  public float[] params() {
    return params;
  }

  public float[] state() {
    return state;
  }

  public Loss loss() {
    return loss;
  }

  public List<String> labels() {
    return labels;
  }

  /** The training summary, or null for a model that was not trained by Treeprop. */
  public TrainingSummary summary() {
    return summary;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  /** A copy with another summary and metadata. */
  public Model with(TrainingSummary summary, Map<String, Object> metadata) {
    return new Model(spec, params, state, loss, labels, summary, metadata);
  }

  /**
   * Network outputs for {@code rows} rows of {@code x: [rows, inputSize]}, computed a default {@link MicroBatch}
   * at a time (one sgemm per layer per micro-batch).
   *
   * @return {@code [rows, outputSize]}
   */
  public float[] predict(float[] x, int rows) {
    int in = network.inputShape().size();
    int out = network.outputShape().size();
    if ((long) rows * in != x.length) {
      throw new IllegalArgumentException("expected " + rows + " rows of " + in + " features (" + (long) rows * in
          + " floats), received " + x.length + " floats");
    }
    float[] y = new float[Math.multiplyExact(rows, out)];
    Workspace ws = network.newWorkspace(MicroBatch.defaults().rows(network, rows), false);
    for (int start = 0; start < rows; start += ws.capacity()) {
      int n = Math.min(ws.capacity(), rows - start);
      System.arraycopy(x, start * in, ws.input(), 0, n * in);
      float[] o = network.forward(ws, params, state, n, false, 0L);
      System.arraycopy(o, 0, y, start * out, n * out);
    }
    return y;
  }

  /** Predicted class per row: argmax for multiclass, the loss's threshold for binary (one output). */
  public int[] predictClasses(float[] x, int rows) {
    if (loss == null || loss.task() == Loss.Task.REGRESSION) {
      throw new IllegalStateException("predictClasses needs a classification model; this one was trained with "
          + (loss == null ? "no loss" : loss.name()));
    }
    float[] y = predict(x, rows);
    int out = network.outputShape().size();
    int[] c = new int[rows];
    for (int r = 0; r < rows; r++) {
      c[r] = Predictions.predictedClass(loss, y, r * out, out);
    }
    return c;
  }
}
