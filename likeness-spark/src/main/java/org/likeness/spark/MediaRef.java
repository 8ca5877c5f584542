package org.likeness.spark;

import java.io.Serializable;

/**
 * One file a job was given, by its URI (any file system Hadoop reads), with its size as listed.
 *
 * @param named the user named this file itself (not a folder holding it): a file that is not media is then a failure, not a skip
 */
public record MediaRef(String uri, long bytes, boolean named) implements Serializable {}
