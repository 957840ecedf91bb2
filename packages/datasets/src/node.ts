export type { ImageDataset } from './fashion-mnist/read-fashion-mnist.js';
export {
  DEBIAN_FASHION_MNIST_DIRECTORY,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  readFashionMnist,
} from './fashion-mnist/read-fashion-mnist.js';
