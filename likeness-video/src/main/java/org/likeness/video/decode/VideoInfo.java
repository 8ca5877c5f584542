package org.likeness.video.decode;

/** What a video's container says about its video stream: duration, nominal frame rate, size, codec. */
public record VideoInfo(double durationSeconds, double fps, int width, int height, String codec) implements java.io.Serializable {}
