package org.likeness.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session, loaded once and shared. {@link #run} is thread-safe (ONNX Runtime
 * sessions accept concurrent runs). The engine binding, kept apart from pre- and post-processing.
 */
public final class OnnxModel implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final InputSpec input;
  private final String inputName;
  private final long fixedBatch;
  private final String firstOutput;

  private OnnxModel(OrtEnvironment env, OrtSession session, InputSpec input, String inputName, long fixedBatch) {
    this.env = env;
    this.session = session;
    this.input = input;
    this.inputName = inputName;
    this.fixedBatch = fixedBatch;
    this.firstOutput = session.getOutputNames().iterator().next();
  }

  /** Loads {@code spec}'s file with {@code intraOpThreads} threads for each run, fully optimised. */
  public static OnnxModel load(ModelSpec spec, int intraOpThreads) {
    return load(spec, intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
  }

  /** Loads {@code spec}'s file at a graph optimisation level (see {@link SessionTuner}). */
  public static OnnxModel load(ModelSpec spec, int intraOpThreads, OrtSession.SessionOptions.OptLevel level) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setOptimizationLevel(level);
      opts.setIntraOpNumThreads(intraOpThreads);
      opts.setInterOpNumThreads(1);
      OrtSession session = env.createSession(spec.file().toString(), opts);
      // A manifest may leave the input name out when the model has a single input.
      String name = spec.input().name().isEmpty() && session.getNumInputs() == 1
          ? session.getInputNames().iterator().next() : spec.input().name();
      var info = session.getInputInfo().get(name);
      if (info == null || !(info.getInfo() instanceof TensorInfo t)) {
        session.close();
        throw new ModelPackException(spec.file() + ": no tensor input named '" + name + "' (inputs: "
            + session.getInputNames() + ")");
      }
      long[] shape = t.getShape();
      return new OnnxModel(env, session, spec.input(), name, shape.length > 0 ? shape[0] : -1);
    } catch (OrtException e) {
      throw new ModelPackException("cannot load " + spec.file() + ": " + e.getMessage(), e);
    }
  }

  public InputSpec input() {
    return input;
  }

  /** Name of the model's first output (recognisers have one output, named differently per exporter). */
  public String firstOutput() {
    return firstOutput;
  }

  /** Largest batch one run takes: 1 for models exported with a fixed batch, otherwise unbounded. */
  public int maxBatch() {
    return fixedBatch > 0 ? (int) fixedBatch : Integer.MAX_VALUE;
  }

  /** Runs a batch of {@code n} items laid out per {@link InputSpec}; returns each named output flattened. */
  public float[][] run(float[] data, int n, String... outputs) {
    if (n > maxBatch()) {
      throw new IllegalArgumentException("batch " + n + " exceeds the model's fixed batch " + maxBatch());
    }
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data, 0, n * input.size()), input.shape(n));
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      float[][] out = new float[outputs.length][];
      for (int i = 0; i < outputs.length; i++) {
        int j = i;
        var v = r.get(outputs[i]).orElseThrow(() -> new IllegalStateException("model has no output named " + outputs[j]));
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
        out[i] = new float[fb.remaining()];
        fb.get(out[i]);
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
