package io.treeprop.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How evaluate and score read new data for a model: the command line first, then how the model was trained. */
class TrainingSourceTest {
  private static final TrainingSource.Given NOTHING = new TrainingSource.Given(null, null, null, null, null, null);
  private static final TrainingSource CSV_WITH_HEADER = new TrainingSource("csv", true, ";", "y", List.of("a", "b"),
      null);

  @Test
  void aCsvWithAHeaderGetsTheTrainingReadingOptionsAndFeatureNames() {
    SourceSpec s = TrainingSource.resolve("new.csv", NOTHING, CSV_WITH_HEADER, 2, true);
    assertEquals(List.of("csv", true, ";", "y", List.of("a", "b")), List.of(s.format(), s.header(), s.delimiter(),
        s.labelColumn(), s.featureColumns()));
    SourceSpec scoring = TrainingSource.resolve("new.csv", NOTHING, CSV_WITH_HEADER, 2, false);
    assertNull(scoring.labelColumn(), "score does not require the label column");
    assertEquals(List.of("a", "b"), scoring.featureColumns());
    SourceSpec unknownName = TrainingSource.resolve("hdfs:///d/part-*", NOTHING, CSV_WITH_HEADER, 2, true);
    assertEquals("csv", unknownName.format(), "a name that says nothing takes the training data's format");
  }

  @Test
  void aCsvWithoutAHeaderIsReadByPositionWhenTrainingHadNames() {
    TrainingSource.Given noHeader = new TrainingSource.Given(null, null, "_c2", null, false, null);
    SourceSpec s = TrainingSource.resolve("new.csv", noHeader, CSV_WITH_HEADER, 2, true);
    assertFalse(s.header());
    assertNull(s.featureColumns(), "all columns but the label, by position");
    assertEquals("_c2", s.labelColumn());
  }

  @Test
  void parquetTakesTheNamesAndLibsvmTheModelsFeatureCount() {
    SourceSpec parquet = TrainingSource.resolve("new.parquet", NOTHING, CSV_WITH_HEADER, 2, true);
    assertEquals(List.of("a", "b"), parquet.featureColumns());
    SourceSpec libsvm = TrainingSource.resolve("new.libsvm", NOTHING, CSV_WITH_HEADER, 784, true);
    assertEquals(784, libsvm.numFeatures(), "no vector-size inference (and no Spark warning about it)");
    SourceSpec untrained = TrainingSource.resolve("scores", NOTHING, null, 3, false);
    assertEquals("parquet", untrained.format(), "a model that records nothing: Parquet, as before");
  }

  @Test
  void theRecordSurvivesTheModelsMetadata() {
    Map<String, Object> meta = CSV_WITH_HEADER.toMetadata();
    assertEquals(CSV_WITH_HEADER, TrainingSource.fromMetadata(meta).orElseThrow());
    assertTrue(TrainingSource.fromMetadata(Map.of()).isEmpty());
  }
}
