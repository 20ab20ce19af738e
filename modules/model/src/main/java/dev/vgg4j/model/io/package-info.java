/**
 * The safetensors file format ({@link dev.vgg4j.model.io.SafeTensors}): host-side named tensors
 * ({@link dev.vgg4j.model.io.TensorEntry}, F32, F16, BF16, F64 or I64), string metadata, a CRC32C checksum and
 * atomic writes. Errors are {@link dev.vgg4j.model.io.CheckpointException}s naming the file.
 */
package dev.vgg4j.model.io;
