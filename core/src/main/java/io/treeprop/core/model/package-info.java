/**
 * Networks: the JSON-serializable {@link io.treeprop.core.model.NetworkSpec}, the compiled {@link
 * io.treeprop.core.model.Network} with its flat {@link io.treeprop.core.param.ParamLayout}, per-thread {@link
 * io.treeprop.core.model.Workspace}s, trained {@link io.treeprop.core.model.Model}s and their files.
 */
package io.treeprop.core.model;
