package io.treeprop.bench;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.BatchNormSpec;
import io.treeprop.core.layer.Conv2dSpec;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.Padding;
import io.treeprop.core.layer.PoolSpec;
import io.treeprop.core.layer.ResidualSpec;
import io.treeprop.core.layer.Size2;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks both sides of the PyTorch comparison train, by the names {@code bench/pytorch_bench.py --net} takes.
 * Each matches the script's module for module (padding, biases, pooling, initialization by Treeprop's defaults).
 */
final class Nets {
  /** The names, in the order the benchmark runs them. */
  static final List<String> NAMES = List.of("mlp", "cnn", "cnn_bn", "resnet");
  private static final LayerSpec RELU = new LayerSpec.Activation(ActivationFunction.RELU);
  private static final LayerSpec SOFTMAX = new LayerSpec.Activation(ActivationFunction.SOFTMAX);

  private Nets() {}

  /** The network called {@code name}; one line naming the choices for an unknown name. */
  static NetworkSpec of(String name) {
    return switch (name) {
      case "mlp" -> NetworkSpec.input(784).dense(256).relu().dense(128).relu().dense(10).softmax();
      case "cnn" -> cnn(false);
      case "cnn_bn" -> cnn(true);
      case "resnet" -> resnet();
      default -> throw new IllegalArgumentException("--nets: unknown network '" + name + "'; choose from " + NAMES);
    };
  }

  /**
   * conv 32 3×3 (valid, bias) → [batch norm] → ReLU → max pool 2 → conv 64 3×3 → [batch norm] → ReLU → max pool 2
   * → dense 128 → ReLU → dense 10 → softmax: PyTorch's {@code Conv2d(1, 32, 3)} ... {@code Linear(64*5*5, 128)}.
   */
  private static NetworkSpec cnn(boolean batchNorm) {
    List<LayerSpec> l = new ArrayList<>();
    for (int filters : new int[] {32, 64}) {
      l.add(new Conv2dSpec(filters, 3));
      if (batchNorm) {
        l.add(new BatchNormSpec());
      }
      l.addAll(List.of(RELU, new PoolSpec.MaxPool2d(2)));
    }
    l.addAll(List.of(new PoolSpec.Flatten(), new LayerSpec.Dense(128), RELU, new LayerSpec.Dense(10), SOFTMAX));
    return new NetworkSpec(Shape.image(1, 28, 28), l);
  }

  /**
   * {@code conf/fashion-mnist-resnet.conf}'s network: a 3×3 stem of 16 with batch norm, three residual blocks (16,
   * 32, 64 channels) with max pooling between them, dropout 0.3, dense 10.
   */
  private static NetworkSpec resnet() {
    List<LayerSpec> l = new ArrayList<>(List.of(same(16), new BatchNormSpec(), RELU, block(16),
        new PoolSpec.MaxPool2d(2), block(32), new PoolSpec.MaxPool2d(2), block(64)));
    l.addAll(List.of(new PoolSpec.Flatten(), new LayerSpec.Dropout(0.3f), new LayerSpec.Dense(10), SOFTMAX));
    return new NetworkSpec(Shape.image(1, 28, 28), l);
  }

  private static LayerSpec block(int filters) {
    return new ResidualSpec(List.of(same(filters), new BatchNormSpec(), RELU, same(filters), new BatchNormSpec()),
        ActivationFunction.RELU);
  }

  private static Conv2dSpec same(int filters) {
    return new Conv2dSpec(filters, Size2.of(3), null, Padding.SAME, null, null);
  }
}
