package io.treeprop.core.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.init.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamLayoutTest {
  private static final Initializer ZEROS = new Initializer.Zeros();

  @Test
  void nestedScopesNameBlocksByPathInDeclarationOrder() {
    ParamLayout.Builder b = new ParamLayout.Builder();
    b.enter("0").weight("W", new int[] {2, 3}, 2, 3, ZEROS).exit();
    b.enter("4").enter("conv1").weight("W", new int[] {1, 2}, 1, 2, ZEROS).bias("b", 2, ZEROS).exit()
        .state("mean", 2, ZEROS).enter("shortcut").weight("W", new int[] {1}, 1, 1, ZEROS).exit().exit();
    ParamLayout l = b.build();
    assertEquals(List.of("0/W", "4/conv1/W", "4/conv1/b", "4/shortcut/W"),
        l.paramBlocks().stream().map(ParamLayout.Block::name).toList());
    assertEquals(List.of(0, 6, 8, 10), l.paramBlocks().stream().map(ParamLayout.Block::offset).toList());
    assertEquals("4/mean", l.stateBlocks().get(0).name());
    assertEquals(11, l.paramCount());
    assertEquals(2, l.stateCount());
  }

  @Test
  void unbalancedOrBadScopesAreErrors() {
    assertThrows(IllegalStateException.class, () -> new ParamLayout.Builder().exit());
    IllegalStateException open = assertThrows(IllegalStateException.class,
        () -> new ParamLayout.Builder().enter("3").build());
    assertTrue(open.getMessage().contains("scope 3/ is still open"), open.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new ParamLayout.Builder().enter("a/b"));
    assertTrue(bad.getMessage().contains("'a/b' must be a non-empty name without '/'"), bad.getMessage());
  }
}
