extension CommandTable {
    /// `--routes SOURCE` on record, metrics and bench: import before running.
    static let routesOption = OptionSpec.value(
        "routes", "SOURCE", .text,
        help: "Import route templates (OpenAPI JSON or a template file, path or http(s) URL) first",
        manHelp: #"""
            Import route templates into the store before running, as
            .B routes import SOURCE
            does: an OpenAPI 3 document (JSON) or a file with one template per line
            .RB ( "GET /api/runs/{job_id}" ,
            .BR "/api/models/{model_id:path}" ),
            as a path or an http or https URL fetched within
            .BR \-\-timeout .
            Requests are then named by their route
            .RB ( "GET /api/runs/{job_id}" ),
            and the endpoints already recorded under raw paths are merged into it.
            """#)
    /// `--path-param NAME`: OpenAPI parameters that take several segments.
    static let pathParamOption = OptionSpec.value(
        "path-param", "NAME", .text, repeatable: true,
        help: "An OpenAPI path parameter whose value may hold '/' ({NAME:path}); repeatable",
        manHelp: #"""
            Treat the OpenAPI path parameter
            .I NAME
            as
            .BR {NAME:path} ,
            whose value may hold
            .B /
            (a Hugging Face model id such as meta-llama/Llama-2-7b-hf); repeatable.
            FastAPI's OpenAPI document drops the
            .BR :path .
            """#)
    /// `--route-cardinality N`: when a prefix collapses.
    static let routeCardinalityOption = OptionSpec.value(
        "route-cardinality", "N", .integer(1...100_000), default: "50",
        help: "Distinct values after one path prefix before that position becomes :id",
        manHelp: #"""
            When more than
            .I N
            distinct values follow the same path prefix at the same position, that
            position becomes a parameter
            .RB ( :id )
            for the whole prefix, and the prefix is listed by
            .BR routes .
            Applies to requests no route template names.
            """#)

    static let routesCommand = CommandSpec(
        ["routes"],
        abstract: "List, import or clear the route templates requests are named by.",
        discussion: """
            Without ACTION it lists the route templates in the store and the path
            prefixes collapsed by cardinality. 'routes import SOURCE' reads an OpenAPI
            3 document (JSON, such as FastAPI's /openapi.json) or a file with one
            template per line, from a path or an http(s) URL, stores its templates and
            merges the endpoints already recorded into their routes. 'routes clear'
            forgets all templates and collapsed prefixes; recorded figures stay.
            """,
        arguments: [
            ArgumentSpec(
                name: "ACTION", help: "'import SOURCE' (a file or an http(s) URL) or 'clear'; nothing lists",
                optional: true, variadic: true, kind: .text)
        ],
        options: [pathParamOption],
        examples: [
            "routes import http://127.0.0.1:8000/openapi.json",
            "routes import openapi.json --path-param model_id",
            "routes import routes.txt", "routes --json", "routes clear",
        ],
        optionsType: PeftPerf.RoutesCommand.Options.self,
        handler: { try PeftPerf.RoutesCommand.run($0) })
}
