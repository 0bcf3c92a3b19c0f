package io.treeprop.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.tensor.CpuFeatures.Level;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
  /**
   * A Xeon that OpenBLAS 0.3.21 does not recognise (family 6 model 207), with the flags of a Sapphire-Rapids-class
   * Xeon of the same machine kind.
   */
  static final String XEON_207 = """
      processor	: 0
      vendor_id	: GenuineIntel
      cpu family	: 6
      model		: 207
      model name	: Intel(R) Xeon(R) Processor
      flags		: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 arat avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid cldemote movdiri movdir64b fsrm serialize tsxldtrk amx_bf16 avx512_fp16 amx_tile amx_int8 arch_capabilities

      processor	: 1
      vendor_id	: GenuineIntel
      flags		: fpu sse sse2
      """;

  /** An AMD EPYC (Zen 2) block: AVX2 and FMA, no AVX-512. */
  static final String EPYC_ZEN2 = """
      processor	: 0
      vendor_id	: AuthenticAMD
      cpu family	: 23
      model		: 49
      model name	: AMD EPYC 7B12
      flags		: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext ssbd ibrs ibpb stibp vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 clzero xsaveerptr arat npt nrip_save umip rdpid
      """;

  @Test
  void readsTheFirstProcessorBlock() {
    CpuFeatures cpu = CpuFeatures.parse(XEON_207);
    assertEquals("GenuineIntel", cpu.vendor());
    assertEquals(6, cpu.family());
    assertEquals(207, cpu.model());
    assertEquals("Intel(R) Xeon(R) Processor", cpu.modelName());
    assertTrue(cpu.flags().contains("avx512vl"));
    assertEquals(Level.AVX512, cpu.level(), "the second block's flags must not leak in");
  }

  @Test
  void levelIsTheWidestInstructionSetTheFlagsAllow() {
    assertEquals(Level.AVX2, CpuFeatures.parse(EPYC_ZEN2).level());
    assertEquals(Level.AVX, CpuFeatures.parse("flags : sse sse2 avx\n").level());
    assertEquals(Level.SSE, CpuFeatures.parse("flags : sse sse2 ssse3\n").level());
    assertEquals(Level.UNKNOWN, CpuFeatures.parse("Processor : AArch64\nFeatures : fp asimd\n").level());
    // AVX-512 F alone (Knights Landing style) is not enough for the SkylakeX kernels
    assertEquals(Level.AVX2, CpuFeatures.parse("flags : sse2 avx avx2 fma avx512f avx512cd\n").level());
  }

  @Test
  void thisMachineIsReadable() {
    CpuFeatures cpu = CpuFeatures.current();
    assertTrue(cpu.describe().contains("family"), cpu.describe());
  }
}
