package io.treeprop.core.model;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequential network: an input shape and a list of layer specs. Immutable; {@link #compile()} checks the shapes
 * and lays out the parameters. Round-trips through JSON:
 *
 * <pre>{"input": [784], "layers": [{"type": "dense", "units": 10}, {"type": "activation", "function": "softmax"}]}</pre>
 *
 * Fluent construction: {@code NetworkSpec.input(784).dense(256).relu().dense(10).softmax()}.
 */
public record NetworkSpec(Shape input, List<LayerSpec> layers) {
  public NetworkSpec {
    if (input == null) {
      throw new IllegalArgumentException("network.input is required: [features] or [channels, height, width]");
    }
    if (layers == null) {
      layers = List.of();
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new IllegalArgumentException("network.layers[" + i + "] is null");
      }
    }
    layers = List.copyOf(layers);
  }

  /** An empty network over {@code features} inputs. */
  public static NetworkSpec input(int features) {
    return new NetworkSpec(Shape.vector(features), List.of());
  }

  /** An empty network over images. */
  public static NetworkSpec input(int channels, int height, int width) {
    return new NetworkSpec(Shape.image(channels, height, width), List.of());
  }

  /** This network with one more layer. */
  public NetworkSpec add(LayerSpec layer) {
    List<LayerSpec> l = new ArrayList<>(layers);
    l.add(layer);
    return new NetworkSpec(input, l);
  }

  public NetworkSpec dense(int units) {
    return add(new LayerSpec.Dense(units));
  }

  public NetworkSpec activation(ActivationFunction f) {
    return add(new LayerSpec.Activation(f));
  }

  public NetworkSpec relu() {
    return activation(ActivationFunction.RELU);
  }

  public NetworkSpec tanh() {
    return activation(ActivationFunction.TANH);
  }

  public NetworkSpec sigmoid() {
    return activation(ActivationFunction.SIGMOID);
  }

  public NetworkSpec softmax() {
    return activation(ActivationFunction.SOFTMAX);
  }

  public NetworkSpec dropout(float rate) {
    return add(new LayerSpec.Dropout(rate));
  }

  /** Compiles to a {@link Network}. */
  public Network compile() {
    return Network.compile(this);
  }
}
