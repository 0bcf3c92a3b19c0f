package io.treeprop.jobs.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} section: the layers in core's JSON shape, the loss (which fixes the task) and optionally the
 * input shape, which otherwise comes from the data, so a config need not repeat {@code 784}.
 *
 * @param input the input shape, or null to take the training data's feature count
 * @param layers the layers in order, e.g. {@code {type: dense, units: 256}}, {@code {type: activation, function:
 *     relu}}; at least one
 * @param loss the training criterion
 * @param objective {@code model.task}: {@value #SUPERVISED} (learn the label; the loss says regression, binary or multiclass) or
 *     {@value #RECONSTRUCTION} (an autoencoder: the target is the scaled input itself, the loss a regression loss,
 *     the output the input's size; for denoising put a {@code noise} layer first)
 * @param encodingLayer with {@value #RECONSTRUCTION}: the index of the layer whose output is the encoding, which
 *     {@code score} writes; null for none
 */
public record ModelSection(Shape input, List<LayerSpec> layers, Loss loss, String objective,
    Integer encodingLayer) {
  static final List<String> KEYS = List.of("input", "layers", "loss", "task", "encodingLayer");
  /** Learn the label. */
  public static final String SUPERVISED = "supervised";
  /** Reconstruct the input. */
  public static final String RECONSTRUCTION = "reconstruction";
  public static final String DEFAULT_TASK = SUPERVISED;

  /** A supervised model. */
  public ModelSection(Shape input, List<LayerSpec> layers, Loss loss) {
    this(input, layers, loss, DEFAULT_TASK, null);
  }

  public ModelSection {
    objective = objective == null ? DEFAULT_TASK : objective;
    if (!objective.equals(SUPERVISED) && !objective.equals(RECONSTRUCTION)) {
      throw new IllegalArgumentException("model.task (\"" + objective + "\") must be " + SUPERVISED + " or "
          + RECONSTRUCTION);
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("model.layers is empty; list the layers, e.g. [{type: dense, units: 10}, "
          + "{type: activation, function: softmax}]");
    }
    if (loss == null) {
      throw new IllegalArgumentException("missing required key model.loss: one of "
          + String.join(", ", CoreJson.typeNames(Loss.class)));
    }
    layers = List.copyOf(layers);
    if (objective.equals(RECONSTRUCTION) && loss.task() != Loss.Task.REGRESSION) {
      throw new IllegalArgumentException("model.loss (" + loss.name() + ") cannot train model.task = "
          + RECONSTRUCTION + ": the target is the input itself; use a regression loss (mse, mae, smooth_l1)");
    }
    if (encodingLayer != null && !objective.equals(RECONSTRUCTION)) {
      throw new IllegalArgumentException("model.encodingLayer (" + encodingLayer + ") applies only to model.task "
          + "= " + RECONSTRUCTION + "; remove it or set the task");
    }
    if (encodingLayer != null && (encodingLayer < 0 || encodingLayer >= layers.size() - 1)) {
      throw new IllegalArgumentException("model.encodingLayer (" + encodingLayer + ") must be a layer index from 0 "
          + "to " + (layers.size() - 2) + " (below the last layer, which gives the reconstruction)");
    }
    // Without an input shape the outputs are still known when a dense layer fixes them; layers that need an image
    // are checked once the data gives its shape.
    if (input != null || layers.stream().anyMatch(l -> l instanceof LayerSpec.Dense)
        && layers.stream().allMatch(ModelSection::takesVectors)) {
      check(input != null ? input : Shape.vector(1), layers, loss);
    }
  }

  /** What the loss trains: regression, multiclass or binary classification. */
  public Loss.Task task() {
    return loss.task();
  }

  /** Whether the model learns to reconstruct its input ({@code model.task = reconstruction}). */
  public boolean reconstruction() {
    return objective.equals(RECONSTRUCTION);
  }

  /**
   * The network for data with {@code features} features per row.
   *
   * @throws IllegalArgumentException when {@code input} is set and does not hold {@code features} values, or the
   *     layers do not fit the loss
   */
  public NetworkSpec network(int features) {
    return network(features, null);
  }

  /**
   * The network for data with {@code features} features per row, each row of {@code shape} when the data knows
   * it (IDX images {@code [1, 28, 28]}, image folders {@code [c, h, w]}): without {@code model.input} the network
   * takes that shape, else a vector of {@code features}.
   *
   * @throws IllegalArgumentException when {@code input} is set and does not hold {@code features} values, or the
   *     layers do not fit the input or the loss
   */
  public NetworkSpec network(int features, Shape shape) {
    Shape in = input != null ? input : shape != null ? shape : Shape.vector(features);
    if (in.size() != features) {
      throw new IllegalArgumentException("model.input " + in + " takes " + in.size() + " values per row, but the "
          + "data has " + features + " features; fix model.input or leave it out to take the data's count");
    }
    try {
      check(in, layers, loss);
    } catch (IllegalArgumentException e) {
      if (input != null || shape != null || layers.stream().allMatch(ModelSection::takesVectors)) {
        throw e;
      }
      throw new IllegalArgumentException(e.getMessage() + "; the data gives vectors of " + features + " features, "
          + "not images: set model.input = [channels, height, width]", e);
    }
    NetworkSpec spec = new NetworkSpec(in, layers);
    if (reconstruction()) {
      Shape out = spec.compile().outputShape();
      if (out.size() != in.size()) {
        throw new IllegalArgumentException("model.task = " + RECONSTRUCTION + ": the layers output " + out + " ("
            + out.size() + " values) but the input " + in + " has " + in.size() + "; the last layers must give the "
            + "input's size back");
      }
    }
    return spec;
  }

  /** Whether a layer works on any input shape (a dense layer takes the flattened input). */
  private static boolean takesVectors(LayerSpec l) {
    return l instanceof LayerSpec.Dense || l instanceof LayerSpec.Activation || l instanceof LayerSpec.Dropout
        || l instanceof LayerSpec.Noise;
  }

  static ModelSection read(Node model) {
    Shape input = input(model);
    if (!model.has("layers")) {
      throw model.missing("layers", "a list of layers, e.g. [{type: dense, units: 10}, {type: activation, "
          + "function: softmax}]");
    }
    List<LayerSpec> layers = CoreJson.read(model.path("layers"), model.value("layers"),
        Json.mapper().getTypeFactory().constructType(new TypeReference<List<LayerSpec>>() {}));
    if (!model.has("loss")) {
      throw model.missing("loss", "a name such as categorical_cross_entropy, or an object such as {type: "
          + "smooth_l1, delta: 1.0}; one of " + String.join(", ", CoreJson.typeNames(Loss.class)));
    }
    Loss loss = CoreJson.read(model.path("loss"), model.value("loss"), Loss.class);
    String task = model.optString("task");
    Integer encoding = model.has("encodingLayer") ? model.optInt("encodingLayer", 0) : null;
    return model.build(() -> new ModelSection(input, layers, loss, task, encoding), "model");
  }

  /** The section as plain values and JSON trees. */
  Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    DataSection.putIfSet(m, "input", input == null ? null : CoreJson.tree(input));
    m.put("layers", layers.stream().map(CoreJson::tree).toList());
    m.put("loss", CoreJson.tree(loss));
    m.put("task", objective);
    DataSection.putIfSet(m, "encodingLayer", encodingLayer);
    return m;
  }

  /** {@code input = 784} or {@code input = [1, 28, 28]}. */
  private static Shape input(Node model) {
    ConfigValue v = model.value("input");
    if (v == null) {
      return null;
    }
    if (v.valueType() == ConfigValueType.LIST) {
      return CoreJson.read(model.path("input"), v, Shape.class);
    }
    int n = model.optInt("input", 0);
    try {
      return Shape.vector(n);
    } catch (IllegalArgumentException e) {
      throw model.error("input", e.getMessage());
    }
  }

  private static void check(Shape input, List<LayerSpec> layers, Loss loss) {
    int outputs;
    try {
      outputs = new NetworkSpec(input, layers).compile().outputShape().size();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new IllegalArgumentException(m.startsWith("network.") ? "model." + m.substring(8) : "model: " + m, e);
    }
    try {
      loss.checkOutputs(outputs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.loss: " + e.getMessage(), e);
    }
  }
}
