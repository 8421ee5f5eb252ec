namespace MlNetExt.Cli.Console;

/// <summary>Bad input from the user (a missing folder, a bad column, a bad value): printed as one line that names the problem
/// and what to do, exit code <see cref="ExitCodes.BadInput"/>, no stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);
