return MlNetExt.Cli.CliApplication.Run(args);
