/**
 * Models on the backend SPI: layers with forward and backward side by side, the {@link
 * dev.vgg4j.model.Model} interface the trainer knows (found by name through {@link
 * dev.vgg4j.model.Models}), a {@link dev.vgg4j.model.Vgg} built from the recipe's config list,
 * PyTorch's default initialisation and safetensors checkpoints with torchvision's state-dict names
 * ({@link dev.vgg4j.model.Checkpoints}). The model knows only
 * {@link dev.vgg4j.spi.Backend} and {@link dev.vgg4j.spi.Tensor}, never a backend class.
 *
 * <h2>Using a model</h2>
 * <pre>{@code
 * Vgg vgg = Vgg.create(backend, VggConfig.recipe().withSeed(42));  // vgg16_bn, 3x50x50, 10 classes
 * vgg.train(true);
 * Tensor logits = vgg.forward(images);          // [N, 3, 50, 50] -> [N, 10], owned by the model
 * ... loss writes gradLogits [N, 10] ...
 * vgg.backward(gradLogits);                      // every Parameter.grad() is overwritten
 * for (Parameter p : vgg.parameters()) backend.adamStep(p.value(), p.grad(), m, v, params, step);
 * Checkpoints.save(vgg, path, optimizerTensors, Map.of("trainer.state", json));
 * Model again = Checkpoints.load(backend, path); // or Checkpoints.restore(vgg, SafeTensors.read(path))
 * }</pre>
 *
 * <h2>Contracts</h2>
 * <ul>
 *   <li>{@link dev.vgg4j.model.Layer#forward} returns a tensor the layer owns and reuses while the
 *       input shape stays the same; {@link dev.vgg4j.model.Layer#backward} returns the gradient
 *       w.r.t. the last forward's input and <b>overwrites</b> the parameters' gradients. After the
 *       first step nothing is allocated. {@code close()} frees everything.</li>
 *   <li>Names: {@link dev.vgg4j.model.Parameter#name} and {@link dev.vgg4j.model.Buffer#name} are
 *       torchvision's state-dict keys ({@code features.0.weight}, {@code features.1.running_mean},
 *       {@code features.1.num_batches_tracked} (int64 scalar), {@code classifier.0.weight}); see
 *       {@code VggLayout} for the classifier mapping (recipe order, torchvision keys 0/3/6).</li>
 *   <li>Dropout seeds come from the model's {@link dev.vgg4j.model.DropoutSeeds}; their state is
 *       in checkpoints ({@link dev.vgg4j.model.Checkpoints#DROPOUT_STATE_KEY}) so resume is exact.</li>
 * </ul>
 */
package dev.vgg4j.model;
