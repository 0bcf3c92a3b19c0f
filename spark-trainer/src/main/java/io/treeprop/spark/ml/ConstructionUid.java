package io.treeprop.spark.ml;

/**
 * Makes an instance's uid visible while its Spark superclass is still being constructed. Spark's Scala traits
 * create their params ({@code featuresCol}...) in the superclass constructor and ask {@code uid()} for the
 * parent; a Scala subclass has its uid by then, a Java subclass's fields are not yet assigned. Constructors pass
 * the uid through {@link #enter} in their {@code this(...)} call and read it back until their own field is set.
 */
final class ConstructionUid {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private ConstructionUid() {}

  /** Records the uid of the instance about to be constructed on this thread; returns it. */
  static String enter(String uid) {
    CURRENT.set(uid);
    return uid;
  }

  /** The uid being constructed on this thread. */
  static String current() {
    return CURRENT.get();
  }

  /** Construction finished. */
  static void exit() {
    CURRENT.remove();
  }
}
