using TrainingService.Cli;

// train SPEC.json [--data-dir DIR] [--threads N] [--save-model FILE]   |   predict MODEL.json INPUT.csv
return CliMain.Run(args, Console.Out, Console.Error);
