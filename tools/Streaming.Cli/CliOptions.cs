using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Streaming.Cli;

/// <summary>
/// Options that check their value while the command line is parsed, so a bad value stops the command before anything
/// starts, with one line naming the option, the value and what is accepted.
/// </summary>
internal static class CliOptions
{
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse<int>(r, name, $"a whole number from {min} to {max}",
            v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max ? i : (int?)null) ?? defaultValue,
    };

    public static Option<int> Port(string name, string description, int defaultValue)
        => Int(name, description + " (0 = any free port)", defaultValue, 0, 65535);

    public static Option<double> Double(string name, string description, double defaultValue, double min, double max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, name, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
            v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max ? d : (double?)null) ?? defaultValue,
    };

    /// <summary>A text option whose value <paramref name="check"/> validates: it returns what is accepted when the value is not.</summary>
    public static Option<string?> Text(string name, string description, Func<string, string?> check) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var value = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (check(value) is { } accepted)
            {
                r.AddError($"{name}: '{value}' is not accepted; {accepted}");
            }

            return value;
        },
    };

    /// <summary>Adds a rule between options (e.g. one only makes sense with another): a parse error on the command when it does not hold.</summary>
    public static void Require(Command command, Func<CommandResult, bool> holds, string message)
        => command.Validators.Add(r =>
        {
            if (!holds(r))
            {
                r.AddError(message);
            }
        });

    private static T? Parse<T>(ArgumentResult r, string name, string accepted, Func<string, T?> parse)
        where T : struct
    {
        var value = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
        if (parse(value) is { } parsed)
        {
            return parsed;
        }

        r.AddError($"{name}: '{value}' is not {accepted}");
        return null;
    }
}
