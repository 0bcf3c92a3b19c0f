package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The source description validates itself: each wrong or misplaced option is named. */
class SourceSpecTest {
  @Test
  void factoriesFillTheDefaults() {
    SourceSpec csv = SourceSpec.csv("d.csv", "y", null, true, null);
    assertEquals(SourceSpec.DEFAULT_DELIMITER, csv.delimiter());
    assertTrue(csv.labeled());
    assertFalse(SourceSpec.idx("images", null).labeled());
    assertTrue(SourceSpec.libsvm("d.txt", 0).labeled());
    assertEquals("parquet", new SourceSpec("Parquet", "p", null, "y", null, null, false, null, 0).format());
  }

  @Test
  void unknownFormatAndMissingPathAreNamed() {
    fails(() -> new SourceSpec("json", "p", null, null, null, null, false, null, 0),
        "data format \"json\" is not supported; use one of [idx, libsvm, csv, parquet, images]");
    fails(() -> SourceSpec.libsvm(" ", 0), "libsvm data: the path is required");
  }

  @Test
  void optionsOfOtherFormatsAreErrors() {
    fails(() -> new SourceSpec("csv", "p", "labels", "y", null, null, true, null, 0),
        "csv data: option labelPath applies only to idx data");
    fails(() -> new SourceSpec("idx", "p", "l", "y", null, null, false, null, 0),
        "idx data: option labelColumn applies only to csv and parquet data");
    fails(() -> new SourceSpec("parquet", "p", null, "y", null, null, true, null, 0),
        "option header applies only to csv data");
    fails(() -> new SourceSpec("csv", "p", null, "y", null, "v", false, null, 0),
        "option featuresColumn applies only to parquet data");
    fails(() -> new SourceSpec("parquet", "p", null, "y", null, null, false, null, 5),
        "option numFeatures applies only to libsvm data");
  }

  @Test
  void featureColumnsMustBeAProperList() {
    fails(() -> SourceSpec.csv("p", "y", List.of(), true, null), "featureColumns is empty");
    fails(() -> SourceSpec.csv("p", "y", List.of("a", "b", "a"), true, null), "lists \"a\" twice");
    fails(() -> SourceSpec.csv("p", "y", List.of("a", "y"), true, null), "\"y\" is the label column");
    List<String> withNull = new ArrayList<>(List.of("a"));
    withNull.add(null);
    fails(() -> SourceSpec.parquet("p", "y", withNull), "holds a blank name");
    fails(() -> new SourceSpec("parquet", "p", null, "y", List.of("a"), "v", false, null, 0),
        "it excludes featureColumns");
    fails(() -> SourceSpec.parquetVector("p", "v", "v"), "cannot be both the label and the features column");
  }

  @Test
  void featureColumnsAreCopied() {
    List<String> cols = new ArrayList<>(List.of("a", "b"));
    SourceSpec s = SourceSpec.csv("p", "y", cols, true, null);
    cols.add("c");
    assertEquals(List.of("a", "b"), s.featureColumns());
    assertThrows(UnsupportedOperationException.class, () -> s.featureColumns().add("d"));
  }

  @Test
  void badDelimiterAndNumFeaturesAreNamed() {
    fails(() -> SourceSpec.csv("p", "y", null, true, ""), "the delimiter must be one or more characters");
    fails(() -> SourceSpec.libsvm("p", -1), "numFeatures is -1; it must be positive, or 0 to infer it");
  }
}
