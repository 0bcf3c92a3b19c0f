package io.treeprop.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.model.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schedule at several steps against hand-computed rates (base α₀ = 0.1), JSON, validation. */
class ScheduleExactTest {
  private static final double BASE = 0.1;
  private static final double TOL = 1e-12;

  private static void assertRates(Schedule s, long[] steps, double[] expected) {
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected[i], s.rate(BASE, steps[i]), TOL, s + " at t=" + steps[i]);
    }
  }

  @Test
  void constantReturnsTheBaseRateAtEveryStep() {
    assertRates(new Schedule.Constant(), new long[] {0, 1, 5, 1_000_000}, new double[] {0.1, 0.1, 0.1, 0.1});
    assertEquals(0.25, new Schedule.Constant().rate(0.25, 7), TOL);
  }

  @Test
  void stepMultipliesByGammaAtEachBoundary() {
    // α₀·0.5^⌊t/3⌋: t=0,2 -> 0.1; t=3,5 -> 0.05; t=6 -> 0.025; t=9 -> 0.0125
    assertRates(new Schedule.Step(3, 0.5), new long[] {0, 2, 3, 5, 6, 9},
        new double[] {0.1, 0.1, 0.05, 0.05, 0.025, 0.0125});
  }

  @Test
  void exponentialDecaysSmoothlyBetweenDecaySteps() {
    // α₀·0.5^(t/2): t=0 -> 0.1; t=1 -> 0.1·√0.5 = 0.0707106781; t=2 -> 0.05; t=3 -> 0.1·0.5^1.5 = 0.0353553391;
    // t=4 -> 0.025
    assertRates(new Schedule.Exponential(0.5, 2), new long[] {0, 1, 2, 3, 4},
        new double[] {0.1, 0.07071067811865475, 0.05, 0.035355339059327376, 0.025});
  }

  @Test
  void inverseTimeDividesByOnePlusKt() {
    // α₀/(1 + 0.5t): t=0 -> 0.1; t=1 -> 0.1/1.5 = 0.0666…; t=2 -> 0.1/2 = 0.05; t=6 -> 0.1/4 = 0.025
    assertRates(new Schedule.InverseTime(0.5), new long[] {0, 1, 2, 6},
        new double[] {0.1, 0.1 / 1.5, 0.05, 0.025});
  }

  @Test
  void cosineAnnealsToTheMinimumAndStaysThere() {
    // 0.01 + ½(0.1 − 0.01)(1 + cos(π·min(t,4)/4)) = 0.01 + 0.045·(1 + cos(πt/4))
    // t=0: 0.01 + 0.045·2 = 0.1; t=1: 0.01 + 0.045·1.7071068 = 0.0868198052; t=2: 0.01 + 0.045 = 0.055;
    // t=3: 0.01 + 0.045·0.2928932 = 0.0231801948; t=4: 0.01; t=10: clamped to t=4 -> 0.01
    assertRates(new Schedule.Cosine(4, 0.01), new long[] {0, 1, 2, 3, 4, 10},
        new double[] {0.1, 0.08681980515339464, 0.055, 0.023180194846605363, 0.01, 0.01});
  }

  @Test
  void warmupRampsLinearlyThenRunsTheWrappedScheduleFromZero() {
    Schedule s = new Schedule.Warmup(4, new Schedule.Step(2, 0.5));
    // t<4: 0.1·(t+1)/4 = 0.025, 0.05, 0.075, 0.1; then Step at t−4: t=4,5 -> step 0,1 -> 0.1;
    // t=6,7 -> step 2,3 -> 0.05; t=8 -> step 4 -> 0.025
    assertRates(s, new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8},
        new double[] {0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025});
  }

  @Test
  void warmupWithoutAWrappedScheduleHoldsTheBaseRate() {
    Schedule s = new Schedule.Warmup(2, null);
    // t=0: 0.1·1/2 = 0.05; t=1: 0.1·2/2 = 0.1; then constant 0.1
    assertRates(s, new long[] {0, 1, 2, 100}, new double[] {0.05, 0.1, 0.1, 0.1});
    assertEquals(new Schedule.Warmup(2, new Schedule.Constant()), s);
  }

  static List<Schedule> schedules() {
    return List.of(
        new Schedule.Constant(),
        new Schedule.Step(1000, 0.5),
        new Schedule.Exponential(0.96, 100),
        new Schedule.InverseTime(0.01),
        new Schedule.Cosine(5000, 1e-5),
        new Schedule.Warmup(500, new Schedule.Cosine(5000, 0)),
        new Schedule.Warmup(10, new Schedule.Step(3, 0.25)));
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void jsonRoundTripGivesAnEqualSchedule(Schedule s) {
    String text = Json.write(s);
    assertEquals(s, Json.read(text, Schedule.class, "test"), text);
  }

  @Test
  void jsonReadsTheDocumentedForm() {
    assertEquals(new Schedule.Step(1000, 0.5),
        Json.read("{\"type\": \"step\", \"every\": 1000, \"gamma\": 0.5}", Schedule.class, "test"));
    assertEquals(new Schedule.InverseTime(0.5),
        Json.read("{\"type\": \"inverse_time\", \"k\": 0.5}", Schedule.class, "test"));
  }

  @Test
  void omittedOptionalJsonFieldsTakeTheirDefaults() {
    assertEquals(new Schedule.Exponential(0.5, 1),
        Json.read("{\"type\":\"exponential\",\"gamma\":0.5}", Schedule.class, "test"));
    assertEquals(new Schedule.Warmup(3, new Schedule.Constant()),
        Json.read("{\"type\":\"warmup\",\"steps\":3}", Schedule.class, "test"));
  }

  static Stream<Arguments> badSchedules() {
    return Stream.of(
        Arguments.of("{\"type\":\"step\",\"every\":0,\"gamma\":0.5}", "step.every (0)"),
        Arguments.of("{\"type\":\"step\",\"every\":10,\"gamma\":1.5}", "step.gamma (1.5)"),
        Arguments.of("{\"type\":\"step\",\"every\":10,\"gamma\":0}", "step.gamma (0.0)"),
        Arguments.of("{\"type\":\"exponential\"}", "exponential.gamma is required"),
        Arguments.of("{\"type\":\"exponential\",\"gamma\":0.5,\"decaySteps\":-2}", "exponential.decaySteps (-2)"),
        Arguments.of("{\"type\":\"inverse_time\",\"k\":-1}", "inverse_time.k (-1.0)"),
        Arguments.of("{\"type\":\"cosine\",\"totalSteps\":0,\"minRate\":0}", "cosine.totalSteps (0)"),
        Arguments.of("{\"type\":\"cosine\",\"totalSteps\":10,\"minRate\":-0.1}", "cosine.minRate (-0.1)"),
        Arguments.of("{\"type\":\"cosine\",\"minRate\":0}", "totalSteps"),
        Arguments.of("{\"type\":\"warmup\",\"steps\":0}", "warmup.steps (0)"),
        Arguments.of("{\"type\":\"warmup\",\"steps\":2,\"then\":{\"type\":\"warmup\",\"steps\":3}}", "warmup.then"),
        Arguments.of("{\"type\":\"linear\"}", "linear"));
  }

  @ParameterizedTest
  @MethodSource("badSchedules")
  void badJsonIsRejectedNamingTheKey(String json, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.read(json, Schedule.class, "schedule"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void constructorErrorsSayKeyValueAndRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Schedule.Step(-5, 0.5));
    assertEquals("step.every (-5) must be a positive integer", e.getMessage());
    IllegalArgumentException g =
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Exponential(Double.NaN, 1));
    assertEquals("exponential.gamma (NaN) must be in (0, 1]", g.getMessage());
  }
}
