/** The {@code likeness} command: picocli sub-commands wired explicitly in {@code Main}, thin adapters over the engine and the gallery service. */
package org.likeness.cli;
