/** Build contexts of the images the library generates (stdio pools). Node only: no CDK, no Pulumi. */
export * from './build-context';
