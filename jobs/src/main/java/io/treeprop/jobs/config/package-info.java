/**
 * Job configuration: {@link io.treeprop.jobs.config.JobConfig} reads a HOCON file (any local or Hadoop path) plus
 * {@code --set key=value} overrides into an immutable, validated tree of sections ({@code data}, {@code model},
 * {@code training}, {@code output}, {@code spark}) and builds the core and Spark training configurations from it.
 * Parts that are core types are read by core's strict JSON mapper; everything else is read just as strictly here,
 * and every error names the full key path, the value and what is allowed.
 */
package io.treeprop.jobs.config;
