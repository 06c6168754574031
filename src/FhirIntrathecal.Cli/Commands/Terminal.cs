using Spectre.Console;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>Rich output (tables, progress bars) on a terminal; plain tab-separated lines when stdout is redirected.</summary>
internal static class Terminal
{
    public static bool Rich => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Table(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (!Rich)
        {
            Console.WriteLine(string.Join('\t', headers));
            foreach (var row in rows)
            {
                Console.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var table = new Table { Title = new TableTitle(title) }.Border(TableBorder.Rounded);
        foreach (var h in headers)
        {
            table.AddColumn(h);
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => Colour(Markup.Escape(cell))).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Runs <paramref name="work"/> with a progress reporter: a Spectre bar on a terminal, a line per update otherwise.</summary>
    public static async Task<T> ProgressAsync<T>(string label, Func<Action<string, double?>, Task<T>> work)
    {
        if (!Rich)
        {
            var last = DateTime.MinValue;
            return await work((text, _) =>
            {
                // At most a line per second, so logs of long runs stay readable.
                if (DateTime.UtcNow - last >= TimeSpan.FromSeconds(1))
                {
                    last = DateTime.UtcNow;
                    Console.Error.WriteLine($"{label}: {text}");
                }
            }).ConfigureAwait(false);
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: 100);
                result = await work((text, fraction) =>
                {
                    task.Description = Markup.Escape($"{label}: {text}");
                    if (fraction is { } f)
                    {
                        task.Value = Math.Clamp(f * 100, 0, 100);
                    }
                    else
                    {
                        task.IsIndeterminate = true;
                    }
                }).ConfigureAwait(false);
                task.Value = 100;
            }).ConfigureAwait(false);
        return result;
    }

    private static Markup Colour(string escaped) => escaped switch
    {
        "PASS" => new Markup($"[green]{escaped}[/]"),
        "FAIL" => new Markup($"[red]{escaped}[/]"),
        "WARN" => new Markup($"[yellow]{escaped}[/]"),
        "SKIP" => new Markup($"[grey]{escaped}[/]"),
        _ => new Markup(escaped),
    };
}
