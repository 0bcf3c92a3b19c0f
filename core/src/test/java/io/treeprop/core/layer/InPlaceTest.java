package io.treeprop.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers run in place (output over input, input gradient over output gradient) only where that is safe, and give
 * the same numbers to the bit as with every buffer of their own.
 */
class InPlaceTest {
  private static final int B = 5;

  private static LayerSpec act(ActivationFunction f) {
    return new LayerSpec.Activation(f);
  }

  /** Every layer that can run in place, in place at least once, and the cases where it must not. */
  private static final NetworkSpec SPEC = new NetworkSpec(Shape.image(2, 6, 6), List.of(
      new Conv2dSpec(4, Size2.of(3), null, Padding.SAME, null, null), // 0
      new BatchNormSpec(), // 1: reads its input in backward, not its output
      act(ActivationFunction.RELU), // 2: in place over batch norm's output
      new ResidualSpec(List.of(new Conv2dSpec(4, Size2.of(3), null, Padding.SAME, null, null),
          act(ActivationFunction.RELU), new Conv2dSpec(4, Size2.of(3), null, Padding.SAME, null, null)),
          ActivationFunction.RELU), // 3: its inner relu in place
      act(ActivationFunction.RELU), // 4: in place, and applied by the max pool after it
      new PoolSpec.MaxPool2d(Size2.of(3), Size2.of(2), Size2.of(1)), // 5: overlapping windows, padding
      new PoolSpec.Flatten(), // 6: in place (pooling does not read its output)
      new LayerSpec.Dropout(0.3f), // 7: in place too (flatten does not read its output either)
      new LayerSpec.Dense(8), // 8
      new LayerSpec.Activation(ActivationFunction.LEAKY_RELU, 0.1f), // 9: in place
      new LayerSpec.Noise(NoiseLayer.Kind.MASKING, 0.2f), // 10: not: leaky ReLU reads its output in backward
      new LayerSpec.Dense(8), // 11
      act(ActivationFunction.ELU), // 12: in place
      new LayerSpec.Dense(6), // 13
      act(ActivationFunction.SIGMOID), // 14: in place
      new LayerSpec.Dense(6), // 15
      act(ActivationFunction.SOFTPLUS), // 16: not: it reads its input
      act(ActivationFunction.TANH), // 17: in place
      new LayerSpec.Dense(5), // 18
      act(ActivationFunction.IDENTITY), // 19: in place
      new LayerSpec.Noise(NoiseLayer.Kind.GAUSSIAN, 0.5f), // 20: in place (identity does not read its output)
      new LayerSpec.Dense(3), // 21
      act(ActivationFunction.SOFTMAX))); // 22: not: the last layer keeps its input, the logits

  private static final int[] IN_PLACE = {2, 4, 6, 7, 9, 12, 14, 17, 19, 20};

  /** The small CNN's shape: relu → 2×2 max pool twice (the pooling's fast path), one a block's inner layers. */
  private static final NetworkSpec CNN = new NetworkSpec(Shape.image(1, 10, 10), List.of(
      new Conv2dSpec(3, 3), act(ActivationFunction.RELU), new PoolSpec.MaxPool2d(2),
      new ResidualSpec(List.of(new Conv2dSpec(3, Size2.of(3), null, Padding.SAME, null, null),
          act(ActivationFunction.RELU), new PoolSpec.MaxPool2d(Size2.of(2), Size2.of(1), Size2.of(1)),
          new Conv2dSpec(3, 2)), null),
      new PoolSpec.Flatten(), new LayerSpec.Dense(4), act(ActivationFunction.RELU), new LayerSpec.Dense(3),
      act(ActivationFunction.SOFTMAX)));

  @Test
  void layersRunInPlaceOnlyWhereSafe() {
    Sequence seq = SPEC.compile().sequence();
    boolean[] plan = seq.inPlace(i -> false);
    boolean[] expected = new boolean[plan.length];
    for (int i : IN_PLACE) {
      expected[i] = true;
    }
    assertArrayEquals(expected, plan);
    Frame[] frames = seq.frames(B, new float[B * 72], new float[B * 72], 0, 0);
    for (int i = 1; i < frames.length; i++) {
      if (plan[i]) {
        assertSame(frames[i - 1].out(), frames[i].out(), "layer " + i);
        assertSame(frames[i - 1].dOut(), frames[i].dIn(), "layer " + i);
      } else {
        assertNotSame(frames[i - 1].out(), frames[i].out(), "layer " + i);
      }
    }
    for (int i = 0; i < frames.length; i++) {
      assertEquals(i == 4, frames[i].outputDeferred(), "layer " + i);
    }
    // a kept output is not overwritten, nor deferred
    assertFalse(seq.inPlace(i -> i == 1)[2]);
    assertTrue(seq.inPlace(i -> i == 1)[6]);
    assertFalse(seq.frames(B, new float[B * 72], null, 0, 0, i -> i == 4)[4].outputDeferred());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void inPlaceGivesTheSameNumbersToTheBit(boolean cnn) {
    Network net = (cnn ? CNN : SPEC).compile();
    float[] params = net.initParams(7);
    Result shared = run(net, params, i -> false);
    Result own = run(net, params, i -> true);
    assertArrayEquals(own.out, shared.out);
    assertArrayEquals(own.dIn, shared.dIn);
    assertArrayEquals(own.grad, shared.grad);
    assertArrayEquals(own.newState, shared.newState);
    float sum = 0;
    for (float g : shared.grad) {
      sum += Math.abs(g);
    }
    assertTrue(sum > 0, "a gradient flowed");
  }

  private record Result(float[] out, float[] dIn, float[] grad, float[] newState) {}

  /** A training pass with input gradients; {@code keep} true for every layer means nothing runs in place. */
  private static Result run(Network net, float[] params, IntPredicate keep) {
    Sequence seq = net.sequence();
    SplittableRandom rng = new SplittableRandom(3);
    float[] in = new float[B * net.inputShape().size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) rng.nextGaussian();
    }
    float[] dIn = new float[in.length];
    Frame[] frames = seq.frames(B, in, dIn, 0, 0, keep);
    float[] state = net.initState();
    float[] newState = state.clone();
    Pass pass = new Pass();
    pass.begin(params, state, newState, B, true);
    seq.forward(frames, pass, 11L);
    Frame top = frames[frames.length - 1];
    float[] out = java.util.Arrays.copyOf(top.out(), B * net.outputShape().size());
    for (int i = 0; i < out.length; i++) {
      top.dOut()[i] = (float) rng.nextGaussian();
    }
    float[] grad = new float[params.length];
    pass.gradient(grad);
    seq.backward(frames, frames.length);
    return new Result(out, dIn, grad, newState);
  }

  @Test
  void aHiddenOutputOverwrittenInPlaceIsNotReadable() {
    Network net = NetworkSpec.input(4).dense(3).tanh().dense(2).softmax().compile();
    float[] params = net.initParams(1);
    Workspace ws = net.newWorkspace(2, false);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ws.activation(0));
    assertEquals("layer 0's output is overwritten in place by layer 1: make the workspace keeping it",
        e.getMessage());
    Network cnn = CNN.compile();
    e = assertThrows(IllegalStateException.class, () -> cnn.newWorkspace(2, false).activation(1));
    assertEquals("layer 1's ReLU is applied by the max pool after it: make the workspace keeping its output",
        e.getMessage());
    Workspace kept = net.newWorkspace(2, false, 0);
    for (int i = 0; i < 8; i++) {
      kept.input()[i] = i * 0.25f - 1;
    }
    net.forward(kept, params, new float[0], 2, false, 0);
    float[] pre = kept.activation(0);
    float[] post = kept.activation(1);
    assertNotSame(pre, post);
    for (int i = 0; i < 6; i++) {
      assertEquals((float) Math.tanh(pre[i]), post[i]);
    }
  }
}
