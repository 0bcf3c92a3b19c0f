package io.treeprop.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.treeprop.core.tensor.CpuFeatures.Level;
import io.treeprop.core.tensor.OpenBlasKernels.Decision;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenBlasKernelsTest {
  private static final CpuFeatures XEON = CpuFeatures.parse(CpuFeaturesTest.XEON_207);
  private static final CpuFeatures EPYC = CpuFeatures.parse(CpuFeaturesTest.EPYC_ZEN2);

  @Test
  void genericKernelsOnAnAvx512XeonAreReplacedBySkylakeX() {
    Decision d = OpenBlasKernels.decide(XEON, null, "Prescott");
    assertEquals("SKYLAKEX", d.coreType());
    assertTrue(d.reason().contains("Prescott") && d.reason().contains("model 207"), d.reason());
    // an empty variable counts as unset
    assertEquals("SKYLAKEX", OpenBlasKernels.decide(XEON, " ", "Prescott").coreType());
    // AVX2 kernels on an AVX-512 processor are below what it has, too
    assertEquals("SKYLAKEX", OpenBlasKernels.decide(XEON, null, "Haswell").coreType());
  }

  @Test
  void genericKernelsOnAnAvx2ProcessorAreReplacedByHaswell() {
    assertEquals("HASWELL", OpenBlasKernels.decide(EPYC, null, "Nehalem").coreType());
    assertEquals("HASWELL", OpenBlasKernels.decide(EPYC, null, "Sandybridge").coreType());
  }

  @Test
  void theUsersSettingIsNeverOverridden() {
    Decision d = OpenBlasKernels.decide(XEON, "PRESCOTT", "Prescott");
    assertNull(d.coreType());
    assertTrue(d.reason().contains("set by the user"), d.reason());
  }

  @Test
  void kernelsThatMatchTheProcessorAreKept() {
    assertNull(OpenBlasKernels.decide(XEON, null, "SkylakeX").coreType());
    assertNull(OpenBlasKernels.decide(XEON, null, "Cooperlake").coreType());
    assertNull(OpenBlasKernels.decide(EPYC, null, "Zen").coreType());
    assertNull(OpenBlasKernels.decide(EPYC, null, "Haswell").coreType());
  }

  @Test
  void nothingIsForcedWithoutOpenBlasOrForUnknownNamesOrProcessors() {
    assertNull(OpenBlasKernels.decide(XEON, null, null).coreType());
    assertNull(OpenBlasKernels.decide(XEON, null, "FutureLake").coreType());
    CpuFeatures arm = CpuFeatures.parse("Features : fp asimd\n");
    assertNull(OpenBlasKernels.decide(arm, null, "Prescott").coreType());
  }

  @Test
  void kernelFamiliesHaveTheirInstructionSetLevels() {
    assertEquals(Level.SSE, OpenBlasKernels.levelOf("Prescott"));
    assertEquals(Level.SSE, OpenBlasKernels.levelOf("Nehalem"));
    assertEquals(Level.AVX, OpenBlasKernels.levelOf("Sandybridge"));
    assertEquals(Level.AVX2, OpenBlasKernels.levelOf("Haswell"));
    assertEquals(Level.AVX2, OpenBlasKernels.levelOf("Zen"));
    assertEquals(Level.AVX512, OpenBlasKernels.levelOf("SkylakeX"));
    assertEquals(Level.AVX512, OpenBlasKernels.levelOf("SapphireRapids"));
    assertEquals(Level.UNKNOWN, OpenBlasKernels.levelOf(null));
  }

  @Test
  void theProbeReadsTheKernelsOpenBlasRuns() {
    assumeTrue(OpenBlasKernels.libblas().isPresent(), "no native BLAS on this machine");
    // a forced core type is what a child JVM loading the library reports
    assertEquals("Prescott", OpenBlasKernels.probe(Map.of(OpenBlasKernels.CORETYPE, "PRESCOTT")).orElseThrow());
    assumeTrue(CpuFeatures.current().level().compareTo(Level.AVX2) >= 0, "needs an AVX2 processor");
    assertEquals("Haswell", OpenBlasKernels.probe(Map.of(OpenBlasKernels.CORETYPE, "HASWELL")).orElseThrow());
    Map<String, String> unset = new HashMap<>();
    unset.put(OpenBlasKernels.CORETYPE, null);
    String own = OpenBlasKernels.probe(unset).orElseThrow();
    assertTrue(OpenBlasKernels.levelOf(own) != Level.UNKNOWN, own);
  }
}
