/**
 * The rules every storage implementation enforces before it accepts a change (the shape of a {@code
 * LogWrite}, compaction points, snapshot chunks) and the always-on {@code Check} helpers. Shared by
 * the RocksDB implementation ({@code io.cairn.storage.internal}) and the simulated one ({@code
 * io.cairn.storage.sim}) so both reject exactly the same inputs. Not exported.
 */
package io.cairn.storage.rules;
